package dev.huddle.billing.sync;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.Price;
import com.stripe.model.Product;
import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionItem;
import com.stripe.param.SubscriptionListParams;

import dev.huddle.billing.config.BillingConfig;
import dev.huddle.billing.config.StripeApi;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The only writer of {@code billing.org_subscriptions}: re-fetches the org's customer and subscriptions from Stripe
 * and stores the current one, in one transaction serialized per org. Never applies a webhook payload. Blocking
 * (Stripe calls): run it on a worker thread.
 */
@ApplicationScoped
public class SyncStripeDataForOrg {

    private static final Logger LOG = Logger.getLogger(SyncStripeDataForOrg.class);

    /** Statuses that are the org's live subscription; preferred over ended or never-started ones. */
    public static final Set<String> LIVE = Set.of("active", "trialing", "past_due", "unpaid", "paused");
    static final Set<String> PAYMENT_FAILED = Set.of("past_due", "unpaid");

    private static final String LOCK = """
            SELECT pg_advisory_xact_lock(hashtext('huddle.billing.org-sync'), hashtext($1::text))""";

    private static final String CUSTOMER = "SELECT stripe_customer_id FROM billing.customers WHERE org_id = $1";

    private static final String DELETE = "DELETE FROM billing.org_subscriptions WHERE org_id = $1";

    /**
     * When Stripe first reported the subscription's current payment failure: the earliest event in the inbox (of
     * any status, dead ones too) that reports it past_due or unpaid, or an {@code invoice.payment_failed} of it,
     * created after the last event that reported it healthy. Only the events' Stripe timestamps are read, never
     * their state: the state comes from the fresh fetch.
     */
    private static final String FAILING_SINCE = """
            WITH reports AS (
                SELECT stripe_created,
                       CASE WHEN type = 'invoice.payment_failed' THEN true
                            WHEN type IN ('invoice.paid', 'invoice.payment_succeeded') THEN false
                            WHEN type LIKE 'customer.subscription.%'
                                THEN payload #>> '{data,object,status}' IN ('past_due', 'unpaid')
                       END AS failing
                FROM billing.stripe_event_inbox
                WHERE stripe_customer_id = $1
                  AND $2 IN (payload #>> '{data,object,id}', payload #>> '{data,object,subscription}',
                             payload #>> '{data,object,parent,subscription_details,subscription}'))
            SELECT min(stripe_created) AS since FROM reports
            WHERE failing
              AND stripe_created > coalesce((SELECT max(stripe_created) FROM reports WHERE NOT failing),
                                            '-infinity'::timestamptz)""";

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

    private static final String DUPLICATES = """
            SELECT other_live_subscription_ids FROM billing.org_subscriptions WHERE org_id = $1""";

    private final Pool pool;
    private final StripeApi stripe;
    private final BillingConfig config;
    private final Counter duplicated;

    public SyncStripeDataForOrg(Pool pool, StripeApi stripe, BillingConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.stripe = stripe;
        this.config = config;
        this.duplicated = Counter.builder("billing.subscriptions.duplicated")
                .description("Customers found with more than one live subscription (each new set counted once)")
                .register(registry);
    }

    /**
     * Syncs the org's subscription from Stripe.
     *
     * @return the stored status, or "none" when the org has no subscription (any more)
     * @throws StripeException when Stripe cannot be read; nothing is written then
     */
    public String run(UUID orgId) throws StripeException {
        StripeClient client = stripe.client();
        SqlConnection connection = pool.getConnection().await().indefinitely();
        try {
            Transaction tx = connection.begin().await().indefinitely();
            try {
                connection.preparedQuery(LOCK).execute(Tuple.of(orgId.toString())).await().indefinitely();
                var customerRows = connection.preparedQuery(CUSTOMER).execute(Tuple.of(orgId)).await().indefinitely();
                String status = customerRows.size() == 0 ? deleteRow(connection, orgId, "no customer")
                        : sync(client, connection, orgId, customerRows.iterator().next().getString("stripe_customer_id"));
                tx.commit().await().indefinitely();
                return status;
            } catch (RuntimeException | StripeException e) {
                tx.rollback().onFailure().recoverWithNull().await().indefinitely();
                throw e;
            }
        } finally {
            connection.close().await().indefinitely();
        }
    }

    private String sync(StripeClient client, SqlConnection connection, UUID orgId, String customerId)
            throws StripeException {
        if (customerDeleted(client, customerId)) {
            return deleteRow(connection, orgId, "customer " + customerId + " deleted");
        }
        List<Subscription> subscriptions = client.v1().subscriptions().list(SubscriptionListParams.builder()
                .setCustomer(customerId)
                .setStatus(SubscriptionListParams.Status.ALL)
                .setLimit(100L)
                .build()).getData();
        Optional<Subscription> current = pickCurrent(subscriptions);
        if (current.isEmpty()) {
            return deleteRow(connection, orgId, "no subscription");
        }
        Subscription sub = current.get();
        List<String> others = subscriptions.stream()
                .filter(s -> LIVE.contains(s.getStatus()) && !s.getId().equals(sub.getId()))
                .map(Subscription::getId).sorted().toList();
        if (!others.isEmpty()) {
            reportDuplicates(connection, orgId, customerId, sub.getId(), others);
        }
        SubscriptionItem item = sub.getItems() == null || sub.getItems().getData() == null
                || sub.getItems().getData().isEmpty() ? null : sub.getItems().getData().get(0);
        Price price = item == null ? null : item.getPrice();
        boolean paymentFailed = PAYMENT_FAILED.contains(sub.getStatus());
        Tuple values = Tuple.tuple()
                .addUUID(orgId)
                .addString(sub.getId())
                .addString(sub.getStatus())
                .addString(price == null ? null : price.getId())
                .addString(item == null ? null : item.getId())
                .addInteger(item == null || item.getQuantity() == null ? null : item.getQuantity().intValue())
                .addInteger(seatCap(client, price))
                .addOffsetDateTime(time(item == null ? null : item.getCurrentPeriodStart()))
                .addOffsetDateTime(time(item == null ? null : item.getCurrentPeriodEnd()))
                .addBoolean(Boolean.TRUE.equals(sub.getCancelAtPeriodEnd()))
                .addOffsetDateTime(time(sub.getTrialEnd()))
                .addBoolean(paymentFailed)
                .addLong(config.gracePeriod().toSeconds())
                .addOffsetDateTime(paymentFailed ? failingSince(connection, customerId, sub.getId()) : null)
                .addArrayOfString(others.toArray(String[]::new));
        connection.preparedQuery(UPSERT).execute(values).await().indefinitely();
        LOG.debugf("org %s synced: subscription %s %s", orgId, sub.getId(), sub.getStatus());
        return sub.getStatus();
    }

    /**
     * The org's current subscription: a live one (active, trialing, past_due, unpaid, paused) over any other
     * (incomplete, incomplete_expired, canceled); among equals the newest.
     */
    static Optional<Subscription> pickCurrent(List<Subscription> subscriptions) {
        return subscriptions.stream()
                .filter(s -> s.getStatus() != null)
                .max(Comparator.<Subscription, Boolean> comparing(s -> LIVE.contains(s.getStatus()))
                        .thenComparing(s -> s.getCreated() == null ? 0L : s.getCreated())
                        .thenComparing(Subscription::getId));
    }

    /**
     * More than one live subscription for one customer (two checkouts completed, or one made by hand): the current
     * one is stored, the others are listed to operators; logged on every sync, counted when first seen.
     */
    private void reportDuplicates(SqlConnection connection, UUID orgId, String customerId, String current,
            List<String> others) {
        var rows = connection.preparedQuery(DUPLICATES).execute(Tuple.of(orgId)).await().indefinitely();
        String[] before = rows.size() == 0 ? new String[0]
                : rows.iterator().next().getArrayOfStrings("other_live_subscription_ids");
        if (!List.of(before).equals(others)) {
            duplicated.increment();
        }
        LOG.errorf("org %s (customer %s) has %d live subscriptions: %s is used, %s also bill it; an operator must "
                + "cancel the extra ones", orgId, customerId, others.size() + 1, current, others);
    }

    private static OffsetDateTime failingSince(SqlConnection connection, String customerId, String subscriptionId) {
        return connection.preparedQuery(FAILING_SINCE).execute(Tuple.of(customerId, subscriptionId)).await()
                .indefinitely().iterator().next().getOffsetDateTime("since");
    }

    private static boolean customerDeleted(StripeClient client, String customerId) throws StripeException {
        try {
            Customer customer = client.v1().customers().retrieve(customerId);
            return Boolean.TRUE.equals(customer.getDeleted());
        } catch (InvalidRequestException e) {
            if (Integer.valueOf(404).equals(e.getStatusCode())) {
                return true;
            }
            throw e;
        }
    }

    /** The plan's seat limit: metadata {@code seat_cap} of the price, else of its product; null is unlimited. */
    private static Integer seatCap(StripeClient client, Price price) throws StripeException {
        if (price == null) {
            return null;
        }
        Integer cap = seatCap(price.getMetadata());
        if (cap != null || price.getProduct() == null) {
            return cap;
        }
        Product product = price.getProductObject() != null ? price.getProductObject()
                : client.v1().products().retrieve(price.getProduct());
        return seatCap(product.getMetadata());
    }

    private static Integer seatCap(Map<String, String> metadata) {
        if (metadata == null || metadata.get("seat_cap") == null) {
            return null;
        }
        try {
            int cap = Integer.parseInt(metadata.get("seat_cap").trim());
            return cap > 0 ? cap : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String deleteRow(SqlConnection connection, UUID orgId, String why) {
        int deleted = connection.preparedQuery(DELETE).execute(Tuple.of(orgId)).await().indefinitely().rowCount();
        if (deleted > 0) {
            LOG.infof("org %s has no subscription any more (%s)", orgId, why);
        }
        return "none";
    }

    private static OffsetDateTime time(Long epochSeconds) {
        return epochSeconds == null ? null : OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
    }
}
