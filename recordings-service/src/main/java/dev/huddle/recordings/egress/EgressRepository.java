package dev.huddle.recordings.egress;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The SQL behind egress webhooks and stale reconciliation: recordings by their egress. */
@ApplicationScoped
public class EgressRepository {

    private static final String ROOM = """
            SELECT room_id, org_id FROM core.room_directory WHERE livekit_room_name = $1""";

    // waits for a concurrent insert of the same egress to commit, then does nothing
    private static final String INSERT = """
            INSERT INTO recordings.recordings (org_id, room_id, egress_id, status, location, size_bytes, duration_ms,
                                               started_at, ended_at, error, source_updated_at_ns, object_key)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            ON CONFLICT (egress_id) DO NOTHING
            RETURNING id, org_id, room_id, status""";

    private static final String LOCK = """
            SELECT id, org_id, room_id, status, source_updated_at_ns, failed_by_reconciliation
            FROM recordings.recordings WHERE egress_id = $1 FOR UPDATE""";

    // any news of the egress makes a stale candidate fresh again; ready has no error (reconciliation's gives way)
    private static final String UPDATE = """
            UPDATE recordings.recordings
            SET status = $2, location = COALESCE($3, location), size_bytes = COALESCE($4, size_bytes),
                duration_ms = COALESCE($5, duration_ms), started_at = COALESCE($6, started_at),
                ended_at = COALESCE($7, ended_at),
                error = CASE WHEN $2 = 'ready' THEN NULL ELSE COALESCE($8, error) END,
                source_updated_at_ns = GREATEST(source_updated_at_ns, $9), object_key = COALESCE($10, object_key),
                failed_by_reconciliation = $11, stale_since = NULL, updated_at = now()
            WHERE id = $1""";

    // the SQL job marks the candidates; the longest marked come first
    private static final String STALE_CANDIDATES = """
            SELECT egress_id FROM recordings.recordings
            WHERE status = 'finalizing' AND stale_since IS NOT NULL
            ORDER BY stale_since, id
            LIMIT $1""";

    /**
     * A recording as the state machine sees it.
     *
     * @param failedByReconciliation failed by stale reconciliation, not by LiveKit's word: LiveKit's own result still
     *        replaces it
     */
    public record Current(UUID id, UUID orgId, UUID roomId, RecordingStatus status, long updatedAtNs,
            boolean failedByReconciliation) {
    }

    /** A LiveKit room of ours. */
    public record Room(UUID roomId, UUID orgId) {
    }

    private final Pool pool;

    public EgressRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<Room>> room(SqlConnection tx, String livekitRoomName) {
        return tx.preparedQuery(ROOM).execute(Tuple.of(livekitRoomName)).map(rows -> {
            var it = rows.iterator();
            if (!it.hasNext()) {
                return Optional.empty();
            }
            Row row = it.next();
            return Optional.of(new Room(row.getUUID("room_id"), row.getUUID("org_id")));
        });
    }

    /** Inserts the recording unless its egress is known; the new row, or empty when it already existed. */
    public Uni<Optional<Current>> insert(SqlConnection tx, Room room, EgressUpdate u) {
        Tuple params = Tuple.tuple().addUUID(room.orgId()).addUUID(room.roomId()).addString(u.egressId())
                .addString(u.status().db()).addString(u.location()).addLong(u.sizeBytes()).addLong(u.durationMs())
                .addOffsetDateTime(u.startedAt()).addOffsetDateTime(u.endedAt()).addString(u.error())
                .addLong(u.updatedAtNs()).addString(u.objectKey());
        return tx.preparedQuery(INSERT).execute(params).map(rows -> {
            var it = rows.iterator();
            if (!it.hasNext()) {
                return Optional.empty();
            }
            Row row = it.next();
            return Optional.of(new Current(row.getUUID("id"), row.getUUID("org_id"), row.getUUID("room_id"),
                    RecordingStatus.fromDb(row.getString("status")), u.updatedAtNs(), false));
        });
    }

    /** The recording of an egress, locked for update until the transaction ends; empty when there is none. */
    public Uni<Optional<Current>> lockIfPresent(SqlConnection tx, String egressId) {
        return tx.preparedQuery(LOCK).execute(Tuple.of(egressId)).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? Optional.of(current(it.next())) : Optional.empty();
        });
    }

    /** The recording of an egress, locked for update until the transaction ends. */
    public Uni<Current> lock(SqlConnection tx, String egressId) {
        return tx.preparedQuery(LOCK).execute(Tuple.of(egressId)).map(rows -> current(rows.iterator().next()));
    }

    private static Current current(Row row) {
        return new Current(row.getUUID("id"), row.getUUID("org_id"), row.getUUID("room_id"),
                RecordingStatus.fromDb(row.getString("status")), row.getLong("source_updated_at_ns"),
                row.getBoolean("failed_by_reconciliation"));
    }

    /**
     * Writes an update to a recording.
     *
     * @param byReconciliation the update is stale reconciliation's verdict (a failure LiveKit did not report)
     */
    public Uni<Void> update(SqlConnection tx, UUID id, EgressUpdate u, boolean byReconciliation) {
        Tuple params = Tuple.tuple().addUUID(id).addString(u.status().db()).addString(u.location())
                .addLong(u.sizeBytes()).addLong(u.durationMs()).addOffsetDateTime(u.startedAt())
                .addOffsetDateTime(u.endedAt()).addString(u.error()).addLong(u.updatedAtNs()).addString(u.objectKey())
                .addBoolean(byReconciliation);
        return tx.preparedQuery(UPDATE).execute(params).replaceWithVoid();
    }

    /** The egresses of up to {@code limit} recordings marked as stale candidates, the longest marked first. */
    public Uni<List<String>> staleCandidates(int limit) {
        return pool.preparedQuery(STALE_CANDIDATES).execute(Tuple.of(limit)).map(rows -> {
            List<String> candidates = new ArrayList<>(rows.size());
            for (Row row : rows) {
                candidates.add(row.getString("egress_id"));
            }
            return candidates;
        });
    }

    public Pool pool() {
        return pool;
    }
}
