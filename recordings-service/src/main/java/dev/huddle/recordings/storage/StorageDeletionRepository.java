package dev.huddle.recordings.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The queue of storage objects whose recording is gone ({@code recordings.storage_deletions}). */
@ApplicationScoped
public class StorageDeletionRepository {

    // Claims due rows for one worker: leased by moving next_attempt_at past the lease, so other replicas skip them
    // now (SKIP LOCKED) and later (not due), and a worker that dies gives them back when the lease runs out.
    private static final String CLAIM = """
            UPDATE recordings.storage_deletions d
            SET next_attempt_at = now() + make_interval(secs => $2)
            FROM (SELECT id FROM recordings.storage_deletions
                  WHERE next_attempt_at <= now()
                  ORDER BY next_attempt_at, id
                  LIMIT $1
                  FOR UPDATE SKIP LOCKED) due
            WHERE d.id = due.id
            RETURNING d.id, d.recording_id, d.location, d.object_key, d.attempts""";

    private static final String DONE = "DELETE FROM recordings.storage_deletions WHERE id = $1";

    private static final String FAILED = """
            UPDATE recordings.storage_deletions
            SET attempts = attempts + 1, last_error = $2, next_attempt_at = now() + make_interval(secs => $3)
            WHERE id = $1""";

    private static final String RELEASE = """
            UPDATE recordings.storage_deletions SET next_attempt_at = now() WHERE id = ANY($1)""";

    private static final String DEPTH = """
            SELECT count(*) AS depth,
                   COALESCE(EXTRACT(EPOCH FROM now() - min(queued_at)), 0)::float8 AS oldest_seconds
            FROM recordings.storage_deletions""";

    /** A queued object, claimed. */
    public record Claimed(long id, UUID recordingId, String location, String objectKey, int attempts) {
    }

    /** Rows in the queue and the age of the oldest. */
    public record Depth(long rows, double oldestSeconds) {
    }

    private final Pool pool;

    public StorageDeletionRepository(Pool pool) {
        this.pool = pool;
    }

    /** Up to {@code limit} due rows, leased for {@code lease}, oldest due first. */
    public Uni<List<Claimed>> claim(int limit, Duration lease) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(limit, seconds(lease))).map(rows -> {
            List<Claimed> claimed = new ArrayList<>(rows.size());
            for (Row row : rows) {
                claimed.add(new Claimed(row.getLong("id"), row.getUUID("recording_id"), row.getString("location"),
                        row.getString("object_key"), row.getInteger("attempts")));
            }
            claimed.sort(Comparator.comparingLong(Claimed::id));
            return claimed;
        });
    }

    /** The object is gone: so goes its row. */
    public Uni<Void> done(long id) {
        return pool.preparedQuery(DONE).execute(Tuple.of(id)).replaceWithVoid();
    }

    /** The attempt failed: counted, with why, and the row waits {@code retryIn}. */
    public Uni<Void> failed(long id, String error, Duration retryIn) {
        return pool.preparedQuery(FAILED).execute(Tuple.of(id, error, seconds(retryIn))).replaceWithVoid();
    }

    /** Claimed rows not attempted: due again at once. */
    public Uni<Void> release(List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(RELEASE).execute(Tuple.tuple().addArrayOfLong(ids.toArray(new Long[0]))).replaceWithVoid();
    }

    public Uni<Depth> depth() {
        return pool.query(DEPTH).execute().map(rows -> {
            Row row = rows.iterator().next();
            return new Depth(row.getLong("depth"), row.getDouble("oldest_seconds"));
        });
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
