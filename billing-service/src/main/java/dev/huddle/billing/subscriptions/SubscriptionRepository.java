package dev.huddle.billing.subscriptions;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class SubscriptionRepository {

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
