package dev.huddle.billing.seats;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.stripe.exception.StripeException;
import com.stripe.net.RequestOptions;
import com.stripe.param.SubscriptionItemUpdateParams;
import com.stripe.param.SubscriptionItemUpdateParams.ProrationBehavior;

import dev.huddle.billing.config.BillingConfig;
import dev.huddle.billing.config.StripeApi;
import dev.huddle.billing.customers.CustomerRepository;
import dev.huddle.billing.sync.SyncStripeDataForOrg;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keeps an org's Stripe quantity equal to its active members. Always sets the quantity absolutely from the current
 * count (never from deltas), one writer per org (an advisory lock), then re-syncs. Blocking.
 */
@ApplicationScoped
public class SeatSync {

    private static final Logger LOG = Logger.getLogger(SeatSync.class);

    private static final Set<String> BILLED = Set.of("active", "trialing", "past_due", "unpaid", "paused");

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
    private static final String SUBSCRIPTION = """
            SELECT status, item_id, quantity FROM billing.org_subscriptions WHERE org_id = $1""";
    private static final String SUBSCRIBED_ORGS = """
            SELECT org_id FROM billing.org_subscriptions
            WHERE status IN ('active', 'trialing', 'past_due', 'unpaid', 'paused') ORDER BY org_id""";

    private final Pool pool;
    private final StripeApi stripe;
    private final CustomerRepository customers;
    private final SyncStripeDataForOrg sync;
    private final SeatFailureRepository failures;
    private final BillingConfig.Seats config;

    public SeatSync(Pool pool, StripeApi stripe, CustomerRepository customers, SyncStripeDataForOrg sync,
            SeatFailureRepository failures, BillingConfig config) {
        this.pool = pool;
        this.stripe = stripe;
        this.customers = customers;
        this.sync = sync;
        this.failures = failures;
        this.config = config.seats();
    }

    /** Orgs with unprocessed membership changes that are due (not backing off after a failure, not dead). */
    public List<UUID> orgsWithChanges(int limit) {
        List<UUID> orgs = new ArrayList<>();
        pool.preparedQuery(PENDING_ORGS).execute(Tuple.of(limit)).await().indefinitely()
                .forEach(r -> orgs.add(r.getUUID("org_id")));
        return orgs;
    }

    /**
     * Applies an org's pending membership changes: skipped when another worker holds the org; otherwise the
     * change rows seen here are marked processed only after Stripe holds the count read after them, and the org's
     * earlier failures are forgotten.
     */
    public void processChanges(UUID orgId) throws StripeException {
        boolean[] synced = new boolean[1];
        withConnection(connection -> {
            Transaction tx = connection.begin().await().indefinitely();
            try {
                boolean locked = connection.preparedQuery(TRY_LOCK).execute(Tuple.of(orgId.toString())).await().indefinitely()
                        .iterator().next().getBoolean("locked");
                if (!locked) {
                    tx.rollback().await().indefinitely();
                    return;
                }
                List<Long> ids = new ArrayList<>();
                connection.preparedQuery(PENDING_CHANGES).execute(Tuple.of(orgId)).await().indefinitely()
                        .forEach(r -> ids.add(r.getLong("id")));
                if (!ids.isEmpty()) {
                    apply(orgId, "c" + ids.get(0));
                    connection.preparedQuery(MARK_PROCESSED).execute(Tuple.of(ids.toArray(Long[]::new)))
                            .await().indefinitely();
                }
                tx.commit().await().indefinitely();
                synced[0] = true;
            } catch (RuntimeException | StripeException e) {
                tx.rollback().onFailure().recoverWithNull().await().indefinitely();
                throw e;
            }
        });
        if (synced[0]) {
            failures.cleared(orgId).await().indefinitely();
        }
    }

    /**
     * Nightly: re-reads every subscribed org from Stripe and repairs a quantity that drifted from its members.
     *
     * @return how many orgs were repaired
     */
    public int reconcile() {
        List<UUID> orgs = new ArrayList<>();
        pool.query(SUBSCRIBED_ORGS).execute().await().indefinitely().forEach(r -> orgs.add(r.getUUID("org_id")));
        String nonce = "r" + LocalDate.now(ZoneOffset.UTC);
        int repaired = 0;
        for (UUID orgId : orgs) {
            try {
                boolean[] changed = new boolean[1];
                withConnection(connection -> {
                    Transaction tx = connection.begin().await().indefinitely();
                    try {
                        connection.preparedQuery(LOCK).execute(Tuple.of(orgId.toString())).await().indefinitely();
                        sync.run(orgId);
                        changed[0] = apply(orgId, nonce);
                        tx.commit().await().indefinitely();
                    } catch (RuntimeException | StripeException e) {
                        tx.rollback().onFailure().recoverWithNull().await().indefinitely();
                        throw e;
                    }
                });
                // the quantity is right now: an org that was failing (even dead) is in step again
                failures.cleared(orgId).await().indefinitely();
                if (changed[0]) {
                    repaired++;
                }
            } catch (Exception e) {
                LOG.warnf("seat reconciliation of org %s failed: %s", orgId, e.getMessage());
            }
        }
        LOG.infof("seat reconciliation: %d subscribed orgs checked, %d repaired", orgs.size(), repaired);
        return repaired;
    }

    /** Sets the Stripe quantity to the active members when they differ; true when it changed something. */
    boolean apply(UUID orgId, String nonce) throws StripeException {
        var rows = pool.preparedQuery(SUBSCRIPTION).execute(Tuple.of(orgId)).await().indefinitely();
        if (rows.size() == 0) {
            return false;
        }
        Row sub = rows.iterator().next();
        String itemId = sub.getString("item_id");
        if (itemId == null || !BILLED.contains(sub.getString("status"))) {
            return false;
        }
        int members = customers.activeMembers(orgId).await().indefinitely();
        Integer quantity = sub.getInteger("quantity");
        if (quantity != null && quantity == members) {
            return false;
        }
        boolean up = quantity == null || members > quantity;
        ProrationBehavior proration = proration(up ? config.prorationUp() : config.prorationDown());
        // keyed by the target quantity and the batch (or the day, for reconciliation): a retry of the same work
        // is deduplicated, while going back to an earlier quantity later (3 -> 4 -> 3 -> 4) is not swallowed
        String key = "seats-" + orgId + "-" + members + "-" + nonce;
        stripe.client().v1().subscriptionItems().update(itemId, SubscriptionItemUpdateParams.builder()
                .setQuantity((long) members)
                .setProrationBehavior(proration)
                .build(), RequestOptions.builder().setIdempotencyKey(key).build());
        LOG.infof("org %s seats %s -> %d (%s)", orgId, quantity, members, proration.getValue());
        sync.run(orgId);
        return true;
    }

    static ProrationBehavior proration(String value) {
        for (ProrationBehavior p : ProrationBehavior.values()) {
            if (p.getValue().equals(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown proration_behavior " + value);
    }

    private interface ConnectionWork {
        void run(SqlConnection connection) throws StripeException;
    }

    private void withConnection(ConnectionWork work) throws StripeException {
        SqlConnection connection = pool.getConnection().await().indefinitely();
        try {
            work.run(connection);
        } finally {
            connection.close().await().indefinitely();
        }
    }
}
