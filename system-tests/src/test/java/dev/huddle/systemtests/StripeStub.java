package dev.huddle.systemtests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.stripe.net.Webhook;

/**
 * Stands in for Stripe's API (objects shaped like Stripe's fixtures3.json) for billing-service's stripe-java client,
 * and signs events as Stripe signs them, with stripe-java's own signature generator.
 */
public final class StripeStub implements AutoCloseable {

    public static final String API_KEY = "sk_test_system";
    public static final String WEBHOOK_SECRET = "whsec_system_0123456789abcdef";
    public static final String PRICE_ID = "price_system_seat";

    private final WireMockServer server;

    StripeStub() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(40));
        server.start();
        server.stubFor(get(urlPathMatching("/v1/products/.*")).atPriority(10).willReturn(json("""
                {"id": "prod_system", "object": "product", "active": true, "created": 1721948530,
                 "livemode": false, "metadata": {}, "name": "Huddle seats", "type": "service"}""")));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    public WireMockServer server() {
        return server;
    }

    public static String id(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** The customer Stripe creates for {@code org} at checkout, and retrieves later. */
    public Customer customerFor(UUID org) {
        Customer customer = existingCustomer(id("cus"), org);
        server.stubFor(post(urlPathEqualTo("/v1/customers")).withRequestBody(containing(org.toString()))
                .willReturn(json(customerJson(customer.id, org))));
        server.stubFor(post(urlPathEqualTo("/v1/checkout/sessions")).withRequestBody(containing(org.toString()))
                .willReturn(json("""
                        {"id": "%s", "object": "checkout.session", "mode": "subscription", "customer": "%s",
                         "client_reference_id": "%s", "url": "https://checkout.stripe.com/c/pay/%s", "status": "open",
                         "created": %d, "expires_at": %d}"""
                        .formatted(id("cs_test"), customer.id, org, customer.id, Instant.now().getEpochSecond(),
                                Instant.now().plus(Duration.ofHours(24)).getEpochSecond()))));
        return customer;
    }

    /**
     * A customer Stripe already has ({@code id}, of {@code org}), as an adopted database's orgs have: Stripe retrieves
     * it, lists no subscription yet ({@link Customer#subscription} replaces that) and updates its item's quantity.
     */
    public Customer existingCustomer(String id, UUID org) {
        Customer customer = new Customer(this, id, org, id("sub"), id("si"));
        server.stubFor(get(urlPathEqualTo("/v1/customers/" + customer.id)).willReturn(json(customerJson(id, org))));
        // no subscription yet: checkout asks Stripe before it opens a session (Customer.subscription replaces this)
        server.stubFor(get(urlPathEqualTo("/v1/subscriptions")).withQueryParam("customer", equalTo(customer.id))
                .willReturn(json("""
                        {"object": "list", "url": "/v1/subscriptions", "has_more": false, "data": []}""")));
        server.stubFor(post(urlPathEqualTo("/v1/subscription_items/" + customer.itemId)).willReturn(json("""
                {"id": "%s", "object": "subscription_item", "quantity": 1, "subscription": "%s",
                 "created": 1721948530, "metadata": {}, "discounts": []}""".formatted(customer.itemId,
                customer.subscriptionId))));
        return customer;
    }

    private static String customerJson(String id, UUID org) {
        return """
                {"id": "%s", "object": "customer", "balance": 0, "created": 1721948530, "currency": "usd",
                 "delinquent": false, "email": null, "livemode": false, "metadata": {"org_id": "%s"},
                 "preferred_locales": [], "tax_exempt": "none"}""".formatted(id, org);
    }

    /** The quantities billing set on a subscription item, oldest first. */
    public List<Long> quantitiesSet(String itemId) {
        return server.findAll(postRequestedFor(urlPathEqualTo("/v1/subscription_items/" + itemId))).stream()
                .map(LoggedRequest::formParameters)
                .map(p -> Long.parseLong(p.get("quantity").firstValue())).toList();
    }

    /** A Stripe event about {@code object} (JSON) that Stripe created at {@code created}. */
    public static String event(String type, String object, Instant created) {
        return """
                {"id": "%s", "object": "event", "api_version": "2026-07-29.dahlia", "created": %d,
                 "data": {"object": %s}, "livemode": false, "pending_webhooks": 1,
                 "request": {"id": null, "idempotency_key": null}, "type": "%s"}"""
                .formatted(id("evt"), created.getEpochSecond(), object, type);
    }

    /** The {@code Stripe-Signature} header Stripe sends with {@code payload}, made by stripe-java. */
    public static String sign(String payload) {
        try {
            return Webhook.Signature.generateSignatureHeader(payload, WEBHOOK_SECRET, Instant.now().getEpochSecond());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withHeader("Request-Id", "req_system").withBody(body);
    }

    @Override
    public void close() {
        server.stop();
    }

    /** An org's Stripe customer and its one subscription (one licensed, per-seat item). */
    public static final class Customer {
        private final StripeStub stripe;
        public final String id;
        public final UUID org;
        public final String subscriptionId;
        public final String itemId;

        Customer(StripeStub stripe, String id, UUID org, String subscriptionId, String itemId) {
            this.stripe = stripe;
            this.id = id;
            this.org = org;
            this.subscriptionId = subscriptionId;
            this.itemId = itemId;
        }

        /** Stripe now lists this subscription with {@code status} and {@code quantity}; returns its JSON. */
        public String subscription(String status, long quantity) {
            long now = Instant.now().getEpochSecond();
            String subscription = """
                    {"id": "%s", "object": "subscription", "application": null, "billing_cycle_anchor": %d,
                     "cancel_at": null, "cancel_at_period_end": false, "canceled_at": null,
                     "collection_method": "charge_automatically", "created": %d, "currency": "usd",
                     "customer": "%s", "discounts": [], "ended_at": null, "livemode": false, "metadata": {},
                     "status": "%s", "trial_end": null, "trial_start": null,
                     "items": {"object": "list", "has_more": false, "url": "/v1/subscription_items?subscription=%s",
                      "data": [{"id": "%s", "object": "subscription_item", "created": %d, "discounts": [],
                       "metadata": {}, "quantity": %d, "subscription": "%s",
                       "current_period_start": %d, "current_period_end": %d,
                       "price": {"id": "%s", "object": "price", "active": true, "billing_scheme": "per_unit",
                        "created": 1721948530, "currency": "usd", "livemode": false, "lookup_key": null,
                        "metadata": {}, "nickname": null, "product": "prod_system",
                        "recurring": {"interval": "month", "interval_count": 1, "meter": null,
                         "usage_type": "licensed", "trial_period_days": null},
                        "tax_behavior": "unspecified", "type": "recurring", "unit_amount": 800,
                        "unit_amount_decimal": "800"}}]}}"""
                    .formatted(subscriptionId, now - 86_400, now - 86_400, id, status, subscriptionId, itemId,
                            now - 86_400, quantity, subscriptionId, now - 86_400, now + 29 * 86_400, PRICE_ID);
            stripe.server.stubFor(get(urlPathEqualTo("/v1/subscriptions")).withQueryParam("customer", equalTo(id))
                    .willReturn(json("""
                            {"object": "list", "url": "/v1/subscriptions", "has_more": false, "data": [%s]}"""
                            .formatted(subscription))));
            return subscription;
        }
    }
}
