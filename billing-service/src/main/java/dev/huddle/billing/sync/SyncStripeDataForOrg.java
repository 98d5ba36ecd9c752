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
import dev.huddle.billing.customers.CustomerRepository;
import dev.huddle.billing.inbox.InboxRepository;
import dev.huddle.billing.stripe.StripeApi;
import dev.huddle.billing.subscriptions.SubscriptionRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

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

    private final Pool pool;
    private final StripeApi stripe;
    private final SubscriptionRepository subscriptions;
    private final CustomerRepository customers;
    private final InboxRepository inbox;
    private final BillingConfig config;
    private final Counter duplicated;

    public SyncStripeDataForOrg(Pool pool, StripeApi stripe, SubscriptionRepository subscriptions,
            CustomerRepository customers, InboxRepository inbox, BillingConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.stripe = stripe;
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.inbox = inbox;
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
        return BlockingTransaction.run(pool, tx -> {
            subscriptions.lockForSync(tx, orgId).await().indefinitely();
            String customerId = customers.customerOf(tx, orgId).await().indefinitely();
            return customerId == null ? deleteRow(tx, orgId, "no customer") : sync(client, tx, orgId, customerId);
        });
    }

    private String sync(StripeClient client, SqlConnection connection, UUID orgId, String customerId)
            throws StripeException {
        if (customerDeleted(client, customerId)) {
            return deleteRow(connection, orgId, "customer " + customerId + " deleted");
        }
        List<Subscription> listed = client.v1().subscriptions().list(SubscriptionListParams.builder()
                .setCustomer(customerId)
                .setStatus(SubscriptionListParams.Status.ALL)
                .setLimit(100L)
                .build()).getData();
        Optional<Subscription> current = pickCurrent(listed);
        if (current.isEmpty()) {
            return deleteRow(connection, orgId, "no subscription");
        }
        Subscription sub = current.get();
        List<String> others = listed.stream()
                .filter(s -> LIVE.contains(s.getStatus()) && !s.getId().equals(sub.getId()))
                .map(Subscription::getId).sorted().toList();
        if (!others.isEmpty()) {
            reportDuplicates(connection, orgId, customerId, sub.getId(), others);
        }
        SubscriptionItem item = sub.getItems() == null || sub.getItems().getData() == null
                || sub.getItems().getData().isEmpty() ? null : sub.getItems().getData().get(0);
        Price price = item == null ? null : item.getPrice();
        boolean paymentFailed = PAYMENT_FAILED.contains(sub.getStatus());
        OffsetDateTime failingSince = paymentFailed
                ? inbox.failingSince(connection, customerId, sub.getId()).await().indefinitely()
                : null;
        subscriptions.upsert(connection, new SubscriptionRepository.Synced(orgId, sub.getId(), sub.getStatus(),
                price == null ? null : price.getId(),
                item == null ? null : item.getId(),
                item == null || item.getQuantity() == null ? null : item.getQuantity().intValue(),
                seatCap(client, price),
                time(item == null ? null : item.getCurrentPeriodStart()),
                time(item == null ? null : item.getCurrentPeriodEnd()),
                Boolean.TRUE.equals(sub.getCancelAtPeriodEnd()),
                time(sub.getTrialEnd()),
                paymentFailed, failingSince, others), config.gracePeriod()).await().indefinitely();
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
        List<String> before = subscriptions.otherLiveSubscriptionIds(connection, orgId).await().indefinitely();
        if (!before.equals(others)) {
            duplicated.increment();
        }
        LOG.errorf("org %s (customer %s) has %d live subscriptions: %s is used, %s also bill it; an operator must "
                + "cancel the extra ones", orgId, customerId, others.size() + 1, current, others);
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

    private String deleteRow(SqlConnection connection, UUID orgId, String why) {
        int deleted = subscriptions.delete(connection, orgId).await().indefinitely();
        if (deleted > 0) {
            LOG.infof("org %s has no subscription any more (%s)", orgId, why);
        }
        return "none";
    }

    private static OffsetDateTime time(Long epochSeconds) {
        return epochSeconds == null ? null : OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
    }
}
