package dev.huddle.core.identity;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The sync's bookkeeping: the stream cursor and the failing (poison) events. */
@ApplicationScoped
public class WorkOsSyncRepository {

    private static final String CURSOR = "SELECT after_id FROM core.workos_sync_cursor WHERE stream = $1";
    private static final String ADVANCE = """
            INSERT INTO core.workos_sync_cursor (stream, after_id, last_event_at) VALUES ($1, $2, $3)
            ON CONFLICT (stream) DO UPDATE
            SET after_id = excluded.after_id, last_event_at = excluded.last_event_at, updated_at = now()""";
    private static final String CLEAR_FAILURE = "DELETE FROM core.workos_poison_events WHERE event_id = $1 AND skipped_at IS NULL";
    private static final String RECORD_FAILURE = """
            INSERT INTO core.workos_poison_events (event_id, event_type, error, payload, attempts) VALUES ($1, $2, $3, $4, 1)
            ON CONFLICT (event_id) DO UPDATE
            SET attempts = core.workos_poison_events.attempts + 1, error = excluded.error, payload = excluded.payload,
                last_failed_at = now()
            RETURNING attempts""";
    private static final String MARK_SKIPPED = "UPDATE core.workos_poison_events SET skipped_at = now() WHERE event_id = $1";

    private final Pool pool;

    public WorkOsSyncRepository(Pool pool) {
        this.pool = pool;
    }

    /** The id of the last event applied or skipped on the stream; null before the first. */
    Uni<String> cursor(String stream) {
        return pool.preparedQuery(CURSOR).execute(Tuple.of(stream))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("after_id"));
    }

    Uni<Void> advance(SqlConnection tx, String stream, String eventId, OffsetDateTime eventAt) {
        return tx.preparedQuery(ADVANCE).execute(Tuple.of(stream, eventId, eventAt)).replaceWithVoid();
    }

    Uni<Void> clearFailure(SqlConnection tx, String eventId) {
        return tx.preparedQuery(CLEAR_FAILURE).execute(Tuple.of(eventId)).replaceWithVoid();
    }

    /** Counts one more failure of the event; returns how many it has had. */
    Uni<Integer> recordFailure(SqlConnection tx, WorkOsEvent event, String error) {
        return tx.preparedQuery(RECORD_FAILURE)
                .execute(Tuple.of(event.id(), event.type(), error, event.raw()))
                .map(rows -> rows.iterator().next().getInteger("attempts"));
    }

    Uni<Void> markSkipped(SqlConnection tx, String eventId) {
        return tx.preparedQuery(MARK_SKIPPED).execute(Tuple.of(eventId)).replaceWithVoid();
    }
}
