package dev.huddle.recordings.recordings;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.platform.paging.Cursor;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class RecordingRepository {

    // $2/$3: the cursor (NULL for the first page); served by recordings_org_created_idx
    private static final String LIST = """
            SELECT id, room_id, status, size_bytes, duration_ms, started_at, ended_at, error, created_at
            FROM recordings.recordings
            WHERE org_id = $1
              AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
            ORDER BY created_at DESC, id DESC
            LIMIT $4""";

    private final Pool pool;

    public RecordingRepository(Pool pool) {
        this.pool = pool;
    }

    /** Up to {@code fetch} of the org's recordings after {@code after}, newest first. */
    public Uni<List<Recording>> list(UUID orgId, Cursor after, int fetch) {
        Tuple params = Tuple.of(orgId, after == null ? null : after.createdAt(), after == null ? null : after.id(), fetch);
        return pool.preparedQuery(LIST).execute(params).map(rows -> {
            List<Recording> list = new ArrayList<>(rows.size());
            for (Row row : rows) {
                list.add(toRecording(row));
            }
            return list;
        });
    }

    static Recording toRecording(Row row) {
        return new Recording(row.getUUID("id"), row.getUUID("room_id"), row.getString("status"),
                row.getLong("size_bytes"), row.getLong("duration_ms"), row.getOffsetDateTime("started_at"),
                row.getOffsetDateTime("ended_at"), row.getString("error"), row.getOffsetDateTime("created_at"));
    }
}
