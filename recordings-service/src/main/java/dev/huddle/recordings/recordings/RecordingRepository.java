package dev.huddle.recordings.recordings;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.platform.outbox.Channels;
import dev.huddle.platform.outbox.OutboxWriter;
import dev.huddle.platform.paging.Cursor;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class RecordingRepository {

    private static final String COLUMNS = "id, room_id, status, size_bytes, duration_ms, started_at, ended_at, error, created_at";

    // $2/$3: the cursor (NULL for the first page); filters $4..$7 are NULL when not given.
    // Served by recordings_org_created_idx (the filters only narrow the org's keyset scan).
    private static final String LIST = "SELECT " + COLUMNS + """

            FROM recordings.recordings
            WHERE org_id = $1
              AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
              AND ($4::uuid IS NULL OR room_id = $4)
              AND ($5::text IS NULL OR status = $5)
              AND ($6::timestamptz IS NULL OR created_at >= $6)
              AND ($7::timestamptz IS NULL OR created_at < $7)
            ORDER BY created_at DESC, id DESC
            LIMIT $8""";

    private static final String GET = "SELECT " + COLUMNS + ", location, object_key FROM recordings.recordings "
            + "WHERE org_id = $1 AND id = $2";

    private static final String DELETE = """
            DELETE FROM recordings.recordings WHERE org_id = $1 AND id = $2
            RETURNING id, room_id, location, object_key""";

    private static final String QUEUE_OBJECT = """
            INSERT INTO recordings.storage_deletions (recording_id, org_id, location, object_key, reason)
            VALUES ($1, $2, $3, $4, 'deleted')""";

    /** List filters; null fields do not filter. {@code to} is exclusive. */
    public record Filter(UUID roomId, String status, OffsetDateTime from, OffsetDateTime to) {
    }

    private final Pool pool;
    private final OutboxWriter outbox;

    public RecordingRepository(Pool pool, OutboxWriter outbox) {
        this.pool = pool;
        this.outbox = outbox;
    }

    /** Up to {@code fetch} of the org's recordings after {@code after} matching {@code filter}, newest first. */
    public Uni<List<Recording>> list(UUID orgId, Filter filter, Cursor after, int fetch) {
        Tuple params = Tuple.tuple().addUUID(orgId)
                .addOffsetDateTime(after == null ? null : after.createdAt()).addUUID(after == null ? null : after.id())
                .addUUID(filter.roomId()).addString(filter.status())
                .addOffsetDateTime(filter.from()).addOffsetDateTime(filter.to()).addInteger(fetch);
        return pool.preparedQuery(LIST).execute(params).map(rows -> {
            List<Recording> list = new ArrayList<>(rows.size());
            for (Row row : rows) {
                list.add(toRecording(row));
            }
            return list;
        });
    }

    /** The org's recording and its storage location; null when there is none in this org. */
    public Uni<Stored> find(UUID orgId, UUID id) {
        return pool.preparedQuery(GET).execute(Tuple.of(orgId, id)).map(rows -> {
            var it = rows.iterator();
            if (!it.hasNext()) {
                return null;
            }
            Row row = it.next();
            return new Stored(toRecording(row), row.getString("location"), row.getString("object_key"));
        });
    }

    /** A recording with where its object is stored (never exposed as is): see {@code ObjectKeys}. */
    public record Stored(Recording recording, String location, String objectKey) {
    }

    /**
     * Deletes the org's recording, queues its storage object for deletion and announces it, in one transaction.
     *
     * @return false when the org has no such recording
     */
    public Uni<Boolean> delete(UUID orgId, UUID id) {
        return pool.withTransaction(tx -> tx.preparedQuery(DELETE).execute(Tuple.of(orgId, id)).chain(rows -> {
            var it = rows.iterator();
            if (!it.hasNext()) {
                return Uni.createFrom().item(false);
            }
            Row row = it.next();
            UUID roomId = row.getUUID("room_id");
            String location = row.getString("location");
            String objectKey = row.getString("object_key");
            Uni<Void> queued = location == null && objectKey == null ? Uni.createFrom().voidItem()
                    : tx.preparedQuery(QUEUE_OBJECT).execute(Tuple.of(id, orgId, location, objectKey)).replaceWithVoid();
            return queued.chain(() -> outbox.append(tx, Channels.org(orgId), RecordingEvents.DELETED,
                    new RecordingEvents.Deleted(id, roomId))).replaceWith(true);
        }));
    }

    static Recording toRecording(Row row) {
        return new Recording(row.getUUID("id"), row.getUUID("room_id"), row.getString("status"),
                row.getLong("size_bytes"), row.getLong("duration_ms"), row.getOffsetDateTime("started_at"),
                row.getOffsetDateTime("ended_at"), row.getString("error"), row.getOffsetDateTime("created_at"));
    }
}
