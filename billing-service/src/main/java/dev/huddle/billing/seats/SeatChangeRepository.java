package dev.huddle.billing.seats;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code billing.seat_changes}: the membership changes core-api records for the seat worker, and the per-org seat
 * lock (a transaction-scoped advisory lock) that makes one writer of an org's Stripe quantity at a time.
 */
@ApplicationScoped
public class SeatChangeRepository {

    private static final String TRY_LOCK = """
            SELECT pg_try_advisory_xact_lock(hashtext('huddle.billing.seats'), hashtext($1::text)) AS locked""";

    private static final String LOCK = """
            SELECT pg_advisory_xact_lock(hashtext('huddle.billing.seats'), hashtext($1::text))""";

    /** Orgs with pending changes, except those backing off after a failure (until due) and dead ones. */
    private static final String PENDING_ORGS = """
            SELECT DISTINCT c.org_id FROM billing.seat_changes c
            LEFT JOIN billing.seat_sync_failures f ON f.org_id = c.org_id
            WHERE c.processed_at IS NULL
              AND (f.org_id IS NULL OR (f.status = 'retrying' AND f.next_attempt_at <= now()))
            LIMIT $1""";

    private static final String PENDING_CHANGES = """
            SELECT id FROM billing.seat_changes WHERE org_id = $1 AND processed_at IS NULL
            ORDER BY id FOR UPDATE SKIP LOCKED""";

    private static final String MARK_PROCESSED = """
            UPDATE billing.seat_changes SET processed_at = now() WHERE id = ANY($1)""";

    private final Pool pool;

    public SeatChangeRepository(Pool pool) {
        this.pool = pool;
    }

    /** Orgs with unprocessed changes that are due (not backing off after a failure, not dead). */
    public Uni<List<UUID>> pendingOrgs(int limit) {
        return pool.preparedQuery(PENDING_ORGS).execute(Tuple.of(limit)).map(rows -> {
            List<UUID> orgs = new ArrayList<>();
            rows.forEach(r -> orgs.add(r.getUUID("org_id")));
            return orgs;
        });
    }

    /** Takes the org's seat lock for {@code tx} unless another transaction holds it; true when taken. */
    public Uni<Boolean> tryLock(SqlConnection tx, UUID orgId) {
        return tx.preparedQuery(TRY_LOCK).execute(Tuple.of(orgId.toString()))
                .map(rows -> rows.iterator().next().getBoolean("locked"));
    }

    /** Takes the org's seat lock for {@code tx}, waiting for another transaction holding it. */
    public Uni<Void> lock(SqlConnection tx, UUID orgId) {
        return tx.preparedQuery(LOCK).execute(Tuple.of(orgId.toString())).replaceWithVoid();
    }

    /** The ids of the org's unprocessed changes, oldest first, row-locked for {@code tx}. */
    public Uni<List<Long>> pendingChanges(SqlConnection tx, UUID orgId) {
        return tx.preparedQuery(PENDING_CHANGES).execute(Tuple.of(orgId)).map(rows -> {
            List<Long> ids = new ArrayList<>();
            rows.forEach(r -> ids.add(r.getLong("id")));
            return ids;
        });
    }

    public Uni<Void> markProcessed(SqlConnection tx, List<Long> ids) {
        return tx.preparedQuery(MARK_PROCESSED).execute(Tuple.of(ids.toArray(Long[]::new))).replaceWithVoid();
    }
}
