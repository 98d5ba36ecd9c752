package dev.huddle.billing.customers;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.checkout.SessionCreateParams;

import dev.huddle.billing.config.BillingConfig;
import dev.huddle.billing.customers.CheckoutSessionRepository.StoredSession;
import dev.huddle.billing.stripe.StripeApi;
import dev.huddle.billing.subscriptions.SubscriptionRepository;
import dev.huddle.billing.sync.BlockingTransaction;
import dev.huddle.billing.sync.SyncStripeDataForOrg;
import dev.huddle.platform.problem.ProblemException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** Stripe Checkout and billing portal sessions for an org, creating its Stripe customer first when needed. */
@ApplicationScoped
public class BillingSessions {

    private static final Logger LOG = Logger.getLogger(BillingSessions.class);

    private static final ReentrantLock[] LOCAL_LOCKS = new ReentrantLock[64];

    static {
        for (int i = 0; i < LOCAL_LOCKS.length; i++) {
            LOCAL_LOCKS[i] = new ReentrantLock();
        }
    }

    private final StripeApi stripe;
    private final Pool pool;
    private final CustomerRepository customers;
    private final CheckoutSessionRepository checkoutSessions;
    private final SubscriptionRepository subscriptions;
    private final SyncStripeDataForOrg sync;
    private final BillingConfig config;

    public BillingSessions(StripeApi stripe, Pool pool, CustomerRepository customers,
            CheckoutSessionRepository checkoutSessions, SubscriptionRepository subscriptions, SyncStripeDataForOrg sync,
            BillingConfig config) {
        this.stripe = stripe;
        this.pool = pool;
        this.customers = customers;
        this.checkoutSessions = checkoutSessions;
        this.subscriptions = subscriptions;
        this.sync = sync;
        this.config = config;
    }

    /**
     * A Checkout session subscribing the org to the configured price for its active members. Serialized per org
     * (on every replica): while the org's last session is open in Stripe, every checkout answers its URL, so two
     * checkouts at once cannot make two subscriptions. A new session is made only once Stripe shows no live
     * subscription of the customer (a completed checkout whose webhook has not arrived yet counts). Blocking.
     */
    public String checkout(UUID orgId) {
        StripeClient client = stripe.client();
        String priceId = config.priceId().filter(p -> !p.isBlank()).orElseThrow(StripeApi::notConfigured);
        // checkouts of one org queue here first, so that they do not each hold a pooled connection while they
        // wait for the database lock (the holder needs the pool too)
        ReentrantLock local = LOCAL_LOCKS[Math.floorMod(orgId.hashCode(), LOCAL_LOCKS.length)];
        local.lock();
        try {
            return checkoutSerialized(client, orgId, priceId);
        } finally {
            local.unlock();
        }
    }

    /** Under the org's database lock, which serializes checkout across replicas. */
    private String checkoutSerialized(StripeClient client, UUID orgId, String priceId) {
        return BlockingTransaction.run(pool, connection -> {
            checkoutSessions.lock(connection, orgId);
            return checkoutLocked(client, connection, orgId, priceId);
        });
    }

    private String checkoutLocked(StripeClient client, SqlConnection connection, UUID orgId, String priceId) {
        refuseWhenSubscribed(subscriptions.summary(orgId).await().indefinitely().status());
        String customerId = customerFor(client, orgId);
        long seats = Math.max(1, customers.activeMembers(orgId).await().indefinitely());
        Optional<StoredSession> latest = checkoutSessions.latest(connection, orgId);
        if (latest.isPresent()) {
            Session session = retrieve(client, orgId, latest.get().id());
            if (session != null && "complete".equals(session.getStatus())) {
                throw ProblemException.conflict("conflict", "a checkout of the organization was completed: its "
                        + "subscription is being set up");
            }
            if (session != null && "open".equals(session.getStatus()) && session.getUrl() != null) {
                if (latest.get().quantity() == seats) {
                    return session.getUrl();
                }
                // made for another number of seats: nobody can complete it any more, a new one follows
                expire(client, orgId, session.getId());
            }
        }
        try {
            // Stripe may hold a subscription our state does not show yet
            refuseWhenSubscribed(sync.run(orgId));
        } catch (StripeException e) {
            throw unavailable(orgId, e);
        }
        SessionCreateParams params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
                .setCustomer(customerId)
                .setClientReferenceId(orgId.toString())
                .addLineItem(SessionCreateParams.LineItem.builder().setPrice(priceId).setQuantity(seats).build())
                .setSubscriptionData(SessionCreateParams.SubscriptionData.builder()
                        .putMetadata("org_id", orgId.toString()).build())
                .setSuccessUrl(config.urls().checkoutSuccess())
                .setCancelUrl(config.urls().checkoutCancel())
                .build();
        // a retry after a lost answer gets the same session; the next session after this one gets a new key
        String key = "checkout-" + orgId + "-" + seats + "-" + latest.map(StoredSession::id).orElse("first");
        try {
            Session session = client.v1().checkout().sessions().create(params,
                    RequestOptions.builder().setIdempotencyKey(key).build());
            checkoutSessions.save(connection, orgId, new StoredSession(session.getId(), session.getUrl(), seats,
                    OffsetDateTime.ofInstant(Instant.ofEpochSecond(session.getExpiresAt()), ZoneOffset.UTC)));
            return session.getUrl();
        } catch (StripeException e) {
            throw unavailable(orgId, e);
        }
    }

    private static void refuseWhenSubscribed(String status) {
        if (SyncStripeDataForOrg.LIVE.contains(status)) {
            throw ProblemException.conflict("conflict",
                    "the organization has a subscription already: manage it in the billing portal");
        }
    }

    private static void expire(StripeClient client, UUID orgId, String sessionId) {
        try {
            client.v1().checkout().sessions().expire(sessionId);
        } catch (StripeException e) {
            throw unavailable(orgId, e);
        }
    }

    /** The session as Stripe has it now; null when Stripe does not know it (any more). */
    private static Session retrieve(StripeClient client, UUID orgId, String sessionId) {
        try {
            return client.v1().checkout().sessions().retrieve(sessionId);
        } catch (InvalidRequestException e) {
            if (Integer.valueOf(404).equals(e.getStatusCode())) {
                return null;
            }
            throw unavailable(orgId, e);
        } catch (StripeException e) {
            throw unavailable(orgId, e);
        }
    }

    /** A billing portal session for the org's customer. Blocking. */
    public String portal(UUID orgId) {
        StripeClient client = stripe.client();
        String customerId = customerFor(client, orgId);
        try {
            return client.v1().billingPortal().sessions().create(
                    com.stripe.param.billingportal.SessionCreateParams.builder()
                            .setCustomer(customerId)
                            .setReturnUrl(config.urls().portalReturn())
                            .build())
                    .getUrl();
        } catch (StripeException e) {
            throw unavailable(orgId, e);
        }
    }

    /**
     * The org's Stripe customer, created when it has none. The idempotency key is derived from the org, so
     * concurrent requests (or a retry after a lost answer) get one customer.
     */
    String customerFor(StripeClient client, UUID orgId) {
        String existing = customers.customerOf(orgId).await().indefinitely();
        if (existing != null) {
            return existing;
        }
        try {
            Customer customer = client.v1().customers().create(
                    CustomerCreateParams.builder().putMetadata("org_id", orgId.toString()).build(),
                    RequestOptions.builder().setIdempotencyKey("customer-" + orgId).build());
            return customers.save(orgId, customer.getId()).await().indefinitely();
        } catch (StripeException e) {
            throw unavailable(orgId, e);
        }
    }

    private static ProblemException unavailable(UUID orgId, StripeException e) {
        LOG.errorf("Stripe call for org %s failed: %s (request %s)", orgId, e.getMessage(), e.getRequestId());
        return new ProblemException(Response.Status.BAD_GATEWAY, "stripe-unavailable",
                "Stripe did not answer; try again");
    }
}
