package dev.huddle.billing.subscriptions;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code billing.org_subscriptions}: each org's current Stripe subscription as the sync last stored it (the sync is
 * its only writer, under the org's sync lock), read by the summary, the seat sync and the operators.
 */
@ApplicationScoped
public class SubscriptionRepository {

    /** What the sync stores of an org's current subscription, as Stripe returned it just now. */
    public record Synced(UUID orgId, String subscriptionId, String status, String priceId, String itemId,
            Integer quantity, Integer seatCap, OffsetDateTime currentPeriodStart, OffsetDateTime currentPeriodEnd,
            boolean cancelAtPeriodEnd, OffsetDateTime trialEnd, boolean paymentFailed, OffsetDateTime failingSince,
            List<String> otherLiveSubscriptionIds) {
    }

    /** What the seat sync needs of an org's stored subscription. */
    public record Seats(String status, String itemId, Integer quantity) {
    }

    /** Serializes the syncs of one org (a transaction-scoped advisory lock). */
    private static final String LOCK_FOR_SYNC = """
            SELECT pg_advisory_xact_lock(hashtext('huddle.billing.org-sync'), hashtext($1::text))""";

    private static final String DELETE = "DELETE FROM billing.org_subscriptions WHERE org_id = $1";

    /**
     * payment_failed_at is set when the subscription is past_due/unpaid, from Stripe's clock ($14, the first event
     * that reported the failure; now() when no event did), kept while it stays so (moved earlier when an event
     * shows it began earlier), and cleared otherwise (and for a different subscription); the grace runs from it.
     */
    private static final String UPSERT = """
            INSERT INTO billing.org_subscriptions AS s (org_id, stripe_subscription_id, status, price_id, item_id,
                quantity, seat_cap, current_period_start, current_period_end, cancel_at_period_end, trial_end,
                payment_failed_at, grace_ends_at, synced_at, other_live_subscription_ids, duplicates_seen_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
                CASE WHEN $12 THEN coalesce($14, now()) END,
                CASE WHEN $12 THEN coalesce($14, now()) + $13 * interval '1 second' END,
                now(), $15::text[], CASE WHEN cardinality($15::text[]) > 0 THEN now() END)
            ON CONFLICT (org_id) DO UPDATE SET
                stripe_subscription_id = excluded.stripe_subscription_id,
                status = excluded.status,
                price_id = excluded.price_id,
                item_id = excluded.item_id,
                quantity = excluded.quantity,
                seat_cap = excluded.seat_cap,
                current_period_start = excluded.current_period_start,
                current_period_end = excluded.current_period_end,
                cancel_at_period_end = excluded.cancel_at_period_end,
                trial_end = excluded.trial_end,
                payment_failed_at = CASE WHEN $12 THEN
                    least(CASE WHEN s.stripe_subscription_id = excluded.stripe_subscription_id
                               THEN s.payment_failed_at END, coalesce($14, now())) END,
                grace_ends_at = CASE WHEN $12 THEN
                    least(CASE WHEN s.stripe_subscription_id = excluded.stripe_subscription_id
                               THEN s.payment_failed_at END, coalesce($14, now()))
                    + $13 * interval '1 second' END,
                synced_at = now(),
                other_live_subscription_ids = excluded.other_live_subscription_ids,
                duplicates_seen_at = excluded.duplicates_seen_at""";

    private static final String OTHER_LIVE = """
            SELECT other_live_subscription_ids FROM billing.org_subscriptions WHERE org_id = $1""";

    private static final String SEATS = """
            SELECT status, item_id, quantity FROM billing.org_subscriptions WHERE org_id = $1""";

    private static final String SUBSCRIBED_ORGS = """
            SELECT org_id FROM billing.org_subscriptions
            WHERE status IN ('active', 'trialing', 'past_due', 'unpaid', 'paused') ORDER BY org_id""";

    private static final String SUMMARY = """
            SELECT s.org_id, s.status, e.entitled, e.reason, s.seat_cap, s.quantity, s.current_period_end,
                   s.cancel_at_period_end, s.grace_ends_at
            FROM billing.org_subscriptions s
            JOIN billing.org_entitlements e ON e.org_id = s.org_id
            WHERE s.org_id = $1""";

    private static final String DUPLICATED = """
            SELECT s.org_id, c.stripe_customer_id, s.stripe_subscription_id, s.other_live_subscription_ids,
                   s.duplicates_seen_at
            FROM billing.org_subscriptions s
            JOIN billing.customers c ON c.org_id = s.org_id
            WHERE cardinality(s.other_live_subscription_ids) > 0
            ORDER BY s.duplicates_seen_at DESC, s.org_id
            LIMIT $1""";

    private final Pool pool;

    public SubscriptionRepository(Pool pool) {
        this.pool = pool;
    }

    /** Takes the org's sync lock for {@code tx}, waiting for another sync of the org to finish. */
    public Uni<Void> lockForSync(SqlConnection tx, UUID orgId) {
        return tx.preparedQuery(LOCK_FOR_SYNC).execute(Tuple.of(orgId.toString())).replaceWithVoid();
    }

    /** Forgets the org's subscription; answers how many rows went (0 or 1). */
    public Uni<Integer> delete(SqlConnection tx, UUID orgId) {
        return tx.preparedQuery(DELETE).execute(Tuple.of(orgId)).map(rows -> rows.rowCount());
    }

    /** Stores the org's current subscription; a payment failure's grace runs {@code gracePeriod} from its start. */
    public Uni<Void> upsert(SqlConnection tx, Synced sub, Duration gracePeriod) {
        Tuple values = Tuple.tuple()
                .addUUID(sub.orgId())
                .addString(sub.subscriptionId())
                .addString(sub.status())
                .addString(sub.priceId())
                .addString(sub.itemId())
                .addInteger(sub.quantity())
                .addInteger(sub.seatCap())
                .addOffsetDateTime(sub.currentPeriodStart())
                .addOffsetDateTime(sub.currentPeriodEnd())
                .addBoolean(sub.cancelAtPeriodEnd())
                .addOffsetDateTime(sub.trialEnd())
                .addBoolean(sub.paymentFailed())
                .addLong(gracePeriod.toSeconds())
                .addOffsetDateTime(sub.failingSince())
                .addArrayOfString(sub.otherLiveSubscriptionIds().toArray(String[]::new));
        return tx.preparedQuery(UPSERT).execute(values).replaceWithVoid();
    }

    /** The other live subscriptions of the org's customer as last stored (none when the org has no row). */
    public Uni<List<String>> otherLiveSubscriptionIds(SqlConnection tx, UUID orgId) {
        return tx.preparedQuery(OTHER_LIVE).execute(Tuple.of(orgId)).map(rows -> rows.size() == 0 ? List.of()
                : List.of(rows.iterator().next().getArrayOfStrings("other_live_subscription_ids")));
    }

    /** The org's stored subscription's status, item and quantity; null when it has none. */
    public Uni<Seats> seats(UUID orgId) {
        return pool.preparedQuery(SEATS).execute(Tuple.of(orgId)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            return new Seats(row.getString("status"), row.getString("item_id"), row.getInteger("quantity"));
        });
    }

    /** Orgs whose stored subscription is live (billed), in id order. */
    public Uni<List<UUID>> subscribedOrgs() {
        return pool.query(SUBSCRIBED_ORGS).execute().map(rows -> {
            List<UUID> orgs = new ArrayList<>();
            rows.forEach(r -> orgs.add(r.getUUID("org_id")));
            return orgs;
        });
    }

    /** The org's subscription summary; {@link SubscriptionSummary#none} when it never subscribed. */
    public Uni<SubscriptionSummary> summary(UUID orgId) {
        return pool.preparedQuery(SUMMARY).execute(Tuple.of(orgId))
                .map(rows -> rows.size() == 0 ? SubscriptionSummary.none(orgId) : toSummary(rows.iterator().next()));
    }

    /** Orgs whose customer has more than one live subscription, most recently seen first. */
    public Uni<List<DuplicatedSubscriptions>> duplicated(int limit) {
        return pool.preparedQuery(DUPLICATED).execute(Tuple.of(limit)).map(rows -> {
            List<DuplicatedSubscriptions> duplicated = new ArrayList<>();
            rows.forEach(r -> duplicated.add(new DuplicatedSubscriptions(r.getUUID("org_id"),
                    r.getString("stripe_customer_id"), r.getString("stripe_subscription_id"),
                    List.of(r.getArrayOfStrings("other_live_subscription_ids")),
                    r.getOffsetDateTime("duplicates_seen_at"))));
            return duplicated;
        });
    }

    private static SubscriptionSummary toSummary(Row row) {
        return new SubscriptionSummary(row.getUUID("org_id"), row.getString("status"), row.getBoolean("entitled"),
                row.getString("reason"), row.getInteger("seat_cap"), row.getInteger("quantity"),
                row.getOffsetDateTime("current_period_end"), row.getBoolean("cancel_at_period_end"),
                row.getOffsetDateTime("grace_ends_at"));
    }
}
