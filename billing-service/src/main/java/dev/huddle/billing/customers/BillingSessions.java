package dev.huddle.billing.customers;

import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.checkout.SessionCreateParams;

import dev.huddle.billing.config.BillingConfig;
import dev.huddle.billing.config.StripeApi;
import dev.huddle.billing.subscriptions.SubscriptionRepository;
import dev.huddle.platform.problem.ProblemException;

/** Stripe Checkout and billing portal sessions for an org, creating its Stripe customer first when needed. */
@ApplicationScoped
public class BillingSessions {

    private static final Logger LOG = Logger.getLogger(BillingSessions.class);

    private static final Set<String> SUBSCRIBED = Set.of("active", "trialing", "past_due", "unpaid", "paused");

    private final StripeApi stripe;
    private final CustomerRepository customers;
    private final SubscriptionRepository subscriptions;
    private final BillingConfig config;

    public BillingSessions(StripeApi stripe, CustomerRepository customers, SubscriptionRepository subscriptions,
            BillingConfig config) {
        this.stripe = stripe;
        this.customers = customers;
        this.subscriptions = subscriptions;
        this.config = config;
    }

    /** A Checkout session subscribing the org to the configured price for its active members. Blocking. */
    public String checkout(UUID orgId) {
        StripeClient client = stripe.client();
        String priceId = config.priceId().filter(p -> !p.isBlank()).orElseThrow(StripeApi::notConfigured);
        String status = subscriptions.summary(orgId).await().indefinitely().status();
        if (SUBSCRIBED.contains(status)) {
            throw ProblemException.conflict("conflict",
                    "the organization has a subscription already: manage it in the billing portal");
        }
        String customerId = customerFor(client, orgId);
        long seats = Math.max(1, customers.activeMembers(orgId).await().indefinitely());
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
        try {
            return client.v1().checkout().sessions().create(params).getUrl();
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
