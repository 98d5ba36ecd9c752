package dev.huddle.core.identity;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The sync's bookkeeping: the stream cursor, the shared backoff and the failing (poison) events. */
@ApplicationScoped
public class WorkOsSyncRepository {

    /**
     * A stream's stored cursor.
     *
     * @param afterId the id of the last event applied or skipped; null when reading starts at the oldest WorkOS keeps
     * @param lastEventAt that event's {@code created_at}
     * @param syncedThrough every event created before it has been applied (see the V8 migration)
     */
    public record Cursor(String afterId, OffsetDateTime lastEventAt, OffsetDateTime syncedThrough) {

        /** The newest time up to which every event is known applied; null when nothing says. */
        public OffsetDateTime freshAsOf() {
            if (lastEventAt == null) {
                return syncedThrough;
            }
            return syncedThrough == null || lastEventAt.isAfter(syncedThrough) ? lastEventAt : syncedThrough;
        }
    }

    private static final String CURSOR = "SELECT after_id, last_event_at, synced_through FROM core.workos_sync_cursor WHERE stream = $1";
    private static final String ADVANCE = """
            INSERT INTO core.workos_sync_cursor (stream, after_id, last_event_at) VALUES ($1, $2, $3)
            ON CONFLICT (stream) DO UPDATE
            SET after_id = excluded.after_id, last_event_at = excluded.last_event_at, updated_at = now()""";
    private static final String SYNCED_THROUGH = """
            INSERT INTO core.workos_sync_cursor (stream, after_id, synced_through) VALUES ($1, NULL, $2)
            ON CONFLICT (stream) DO UPDATE
            SET synced_through = greatest(core.workos_sync_cursor.synced_through, excluded.synced_through),
                updated_at = now()""";
    private static final String RESTART = """
            INSERT INTO core.workos_sync_cursor (stream, after_id, last_event_at, synced_through) VALUES ($1, $2, $3, $4)
            ON CONFLICT (stream) DO UPDATE
            SET after_id = excluded.after_id, last_event_at = excluded.last_event_at,
                synced_through = excluded.synced_through, updated_at = now()""";

    /**
     * A stream's backoff after failed reads of WorkOS, shared by every replica.
     *
     * @param failures failed reads in a row
     * @param notBefore no replica reads WorkOS before this
     */
    public record BackedOff(int failures, Instant notBefore) {
    }

    private static final String BACKOFF = "SELECT failures, not_before FROM core.workos_sync_backoff WHERE stream = $1";
    private static final String BACK_OFF = """
            INSERT INTO core.workos_sync_backoff (stream, failures, not_before) VALUES ($1, $2, $3)
            ON CONFLICT (stream) DO UPDATE
            SET failures = excluded.failures, not_before = excluded.not_before, updated_at = now()""";
    private static final String CLEAR_BACKOFF = "DELETE FROM core.workos_sync_backoff WHERE stream = $1";
    private static final String CLEAR_FAILURE = "DELETE FROM core.workos_poison_events WHERE event_id = $1 AND skipped_at IS NULL";
    private static final String RECORD_FAILURE = """
            INSERT INTO core.workos_poison_events (event_id, event_type, error, payload, attempts) VALUES ($1, $2, $3, $4, 1)
            ON CONFLICT (event_id) DO UPDATE
            SET attempts = core.workos_poison_events.attempts + 1, error = excluded.error, payload = excluded.payload,
                last_failed_at = now()
            RETURNING attempts""";
    private static final String POISONED = """
            SELECT event_id, event_type, error, attempts, skipped_at FROM core.workos_poison_events
            WHERE skipped_at IS NOT NULL ORDER BY skipped_at DESC, event_id LIMIT $1""";
    private static final String POISONED_EVENT = """
            SELECT payload FROM core.workos_poison_events WHERE event_id = $1 AND skipped_at IS NOT NULL FOR UPDATE""";
    private static final String FORGET = "DELETE FROM core.workos_poison_events WHERE event_id = $1";
    private static final String MARK_SKIPPED = "UPDATE core.workos_poison_events SET skipped_at = now() WHERE event_id = $1";

    private final Pool pool;

    public WorkOsSyncRepository(Pool pool) {
        this.pool = pool;
    }

    /** The id of the last event applied or skipped on the stream; null before the first. */
    Uni<String> cursor(String stream) {
        return state(stream).map(cursor -> cursor == null ? null : cursor.afterId());
    }

    /** The stream's stored cursor; null when none is stored yet. */
    Uni<Cursor> state(String stream) {
        return pool.preparedQuery(CURSOR).execute(Tuple.of(stream)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            return new Cursor(row.getString("after_id"), row.getOffsetDateTime("last_event_at"),
                    row.getOffsetDateTime("synced_through"));
        });
    }

    Uni<Void> advance(SqlConnection tx, String stream, String eventId, OffsetDateTime eventAt) {
        return tx.preparedQuery(ADVANCE).execute(Tuple.of(stream, eventId, eventAt)).replaceWithVoid();
    }

    /** Every event created before {@code at} is applied: a read that started then reached the stream's end. */
    Uni<Void> syncedThrough(String stream, Instant at) {
        return pool.preparedQuery(SYNCED_THROUGH).execute(Tuple.of(stream, at.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    /** A fresh cursor after a reconciliation: read on after {@code afterId} (null: from the oldest WorkOS keeps). */
    Uni<Void> restart(String stream, String afterId, OffsetDateTime lastEventAt, Instant syncedThrough) {
        return pool.preparedQuery(RESTART)
                .execute(Tuple.of(stream, afterId, lastEventAt, syncedThrough.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /** The stream's backoff; null when its last read of WorkOS succeeded. */
    Uni<BackedOff> backoff(String stream) {
        return pool.preparedQuery(BACKOFF).execute(Tuple.of(stream)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            return new BackedOff(row.getInteger("failures"), row.getOffsetDateTime("not_before").toInstant());
        });
    }

    /** After {@code failures} failed reads in a row, no replica reads WorkOS before {@code notBefore}. */
    Uni<Void> backOff(String stream, int failures, Instant notBefore) {
        return pool.preparedQuery(BACK_OFF).execute(Tuple.of(stream, failures, notBefore.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    Uni<Void> clearBackoff(String stream) {
        return pool.preparedQuery(CLEAR_BACKOFF).execute(Tuple.of(stream)).replaceWithVoid();
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

    /** The events skipped as poison, newest first. */
    public Uni<List<Poisoned>> poisoned(int limit) {
        return pool.preparedQuery(POISONED).execute(Tuple.of(limit)).map(rows -> {
            List<Poisoned> list = new ArrayList<>(rows.size());
            rows.forEach(row -> list.add(new Poisoned(row.getString("event_id"), row.getString("event_type"),
                    row.getString("error"), row.getInteger("attempts"), row.getOffsetDateTime("skipped_at"))));
            return list;
        });
    }

    /** The poison event {@code eventId}, locked for its replay; null when there is none. */
    Uni<WorkOsEvent> poisonedEvent(SqlConnection tx, String eventId) {
        return tx.preparedQuery(POISONED_EVENT).execute(Tuple.of(eventId)).map(rows -> rows.size() == 0 ? null
                : WorkOsEvent.stored(rows.iterator().next().getJsonObject("payload")));
    }

    /** A replayed poison event applied: it is no longer poison. */
    Uni<Void> forget(SqlConnection tx, String eventId) {
        return tx.preparedQuery(FORGET).execute(Tuple.of(eventId)).replaceWithVoid();
    }

    Uni<Void> markSkipped(SqlConnection tx, String eventId) {
        return tx.preparedQuery(MARK_SKIPPED).execute(Tuple.of(eventId)).replaceWithVoid();
    }
}
