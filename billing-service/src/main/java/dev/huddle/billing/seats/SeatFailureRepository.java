package dev.huddle.billing.seats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** {@code billing.seat_sync_failures}: orgs whose seat sync failed, backing off or dead. */
@ApplicationScoped
public class SeatFailureRepository {

    /** An org's failures in a row, the one just counted included. */
    public record Counts(int attempts, int refusals) {
    }

    /** What becomes of the org: dead, or tried again after {@code delay}. */
    public record Decision(boolean dead, Duration delay) {
    }

    private static final String COUNT = """
            INSERT INTO billing.seat_sync_failures AS f (org_id, attempts, refusals, next_attempt_at, last_error)
            VALUES ($1, 1, CASE WHEN $2 THEN 1 ELSE 0 END, now(), $3)
            ON CONFLICT (org_id) DO UPDATE SET
                attempts = f.attempts + 1,
                refusals = CASE WHEN $2 THEN f.refusals + 1 ELSE 0 END,
                last_error = excluded.last_error,
                last_failed_at = now()
            RETURNING attempts, refusals""";

    private static final String SCHEDULE = """
            UPDATE billing.seat_sync_failures
            SET status = CASE WHEN $2 THEN 'dead' ELSE 'retrying' END,
                next_attempt_at = now() + $3 * interval '1 millisecond'
            WHERE org_id = $1""";

    private static final String CLEAR = "DELETE FROM billing.seat_sync_failures WHERE org_id = $1";

    private static final String LIST_DEAD = """
            SELECT f.org_id, f.attempts, f.last_error, f.first_failed_at, f.last_failed_at,
                   (SELECT count(*) FROM billing.seat_changes c
                    WHERE c.org_id = f.org_id AND c.processed_at IS NULL) AS pending_changes
            FROM billing.seat_sync_failures f
            WHERE f.status = 'dead'
            ORDER BY f.last_failed_at DESC, f.org_id
            LIMIT $1""";

    private static final String RETRY = "DELETE FROM billing.seat_sync_failures WHERE org_id = $1 AND status = 'dead'";

    private final Pool pool;

    public SeatFailureRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Counts a failed sync of the org (a refusal by Stripe or not) and stores what {@code policy} decides from the
     * new counts, in one transaction.
     */
    public Uni<Decision> failed(UUID orgId, boolean refused, String error, Function<Counts, Decision> policy) {
        return pool.withTransaction(connection -> connection.preparedQuery(COUNT)
                .execute(Tuple.of(orgId, refused, error))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return policy.apply(new Counts(row.getInteger("attempts"), row.getInteger("refusals")));
                })
                .call(decision -> connection.preparedQuery(SCHEDULE)
                        .execute(Tuple.of(orgId, decision.dead(), decision.delay().toMillis()))));
    }

    /** The org synced: it is no longer failing. */
    public Uni<Void> cleared(UUID orgId) {
        return pool.preparedQuery(CLEAR).execute(Tuple.of(orgId)).replaceWithVoid();
    }

    public Uni<List<DeadSeatSync>> listDead(int limit) {
        return pool.preparedQuery(LIST_DEAD).execute(Tuple.of(limit)).map(rows -> {
            List<DeadSeatSync> dead = new ArrayList<>();
            rows.forEach(r -> dead.add(new DeadSeatSync(r.getUUID("org_id"), r.getInteger("attempts"),
                    r.getString("last_error"), r.getOffsetDateTime("first_failed_at"),
                    r.getOffsetDateTime("last_failed_at"), r.getLong("pending_changes"))));
            return dead;
        });
    }

    /** Gives a dead org back to the worker (it tries at its next round); false when the org's sync is not dead. */
    public Uni<Boolean> retry(UUID orgId) {
        return pool.preparedQuery(RETRY).execute(Tuple.of(orgId)).map(rows -> rows.rowCount() == 1);
    }
}
