package dev.huddle.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.stripe.net.Webhook;

/**
 * Stands in for Stripe's API for billing-service's stripe-java client, with objects shaped like Stripe's own
 * samples (fixtures3.json), and signs events as Stripe signs them, with stripe-java's own signature generator.
 * {@code new StripeStub()} starts a WireMock server (subscription item quantities POSTed to a
 * {@link Subscription#remembered() remembered} subscription are kept by {@link StripeState}); {@link #at(int)}
 * reaches one started elsewhere (a Quarkus test resource's, from the test). Billing is configured with
 * {@link #API_KEY}, {@link #WEBHOOK_SECRET}, {@link #PRICE_ID} and {@link #baseUrl()}.
 */
public final class StripeStub implements AutoCloseable {

    public static final String API_KEY = "sk_test_wiremock";
    public static final String WEBHOOK_SECRET = "whsec_test_0123456789abcdef";
    public static final String PRICE_ID = "price_test_seat";

    private static final Pattern EVENT_ID = Pattern.compile("\"id\": \"(evt_[^\"]+)\"");

    private final WireMockServer server;
    private final WireMock wireMock;
    private final int port;

    /** Starts a stubbed Stripe on a free local port; products carry no seat_cap unless a test stubs one. */
    public StripeStub() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(40)
                .extensions(new StripeState()));
        server.start();
        port = server.port();
        wireMock = new WireMock(server);
        stub(get(urlPathMatching("/v1/products/.*")).atPriority(10), json("""
                {"id": "prod_test", "object": "product", "active": true, "created": 1721948530,
                 "livemode": false, "metadata": {}, "name": "Huddle seats", "type": "service"}"""));
    }

    private StripeStub(int port) {
        this.server = null;
        this.port = port;
        this.wireMock = new WireMock("127.0.0.1", port);
    }

    /** The stubbed Stripe another part of the test started on {@code port}. */
    public static StripeStub at(int port) {
        return new StripeStub(port);
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The server this stub started (not one reached with {@link #at(int)}). */
    public WireMockServer server() {
        if (server == null) {
            throw new IllegalStateException("this stub reaches a server started elsewhere: use wireMock()");
        }
        return server;
    }

    /** A client of the stub's server, to stub and to verify. */
    public WireMock wireMock() {
        return wireMock;
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
    }

    public void stub(MappingBuilder request, ResponseDefinitionBuilder answer) {
        wireMock.register(request.willReturn(answer));
    }

    /** A Stripe customer of {@code orgId} as {@code GET /v1/customers/{id}} answers it; returns its id. */
    public String customer(UUID orgId) {
        String customer = id("cus");
        stub(get(urlPathEqualTo("/v1/customers/" + customer)), json(customerJson(customer, orgId)));
        return customer;
    }

    public void customerDeleted(String customer) {
        stub(get(urlPathEqualTo("/v1/customers/" + customer)),
                json("{\"deleted\": true, \"id\": \"%s\", \"object\": \"customer\"}".formatted(customer)));
    }

    /**
     * Checkout's Stripe for {@code org}: the customer it creates ({@code POST /v1/customers}) and retrieves, no
     * subscription yet, an open Checkout Session, and the subscription's one item for quantity updates; the
     * subscription is listed once {@link Customer#subscription} says so.
     */
    public Customer customerFor(UUID org) {
        String id = id("cus");
        createdAtCheckout(id, org);
        Customer customer = existingCustomer(id, org);
        stub(post(urlPathEqualTo("/v1/checkout/sessions")).withRequestBody(containing(org.toString())), json("""
                {"id": "%s", "object": "checkout.session", "mode": "subscription", "customer": "%s",
                 "client_reference_id": "%s", "url": "https://checkout.stripe.com/c/pay/%s", "status": "open",
                 "created": %d, "expires_at": %d}"""
                .formatted(id("cs_test"), customer.id, org, customer.id, Instant.now().getEpochSecond(),
                        Instant.now().plus(Duration.ofHours(24)).getEpochSecond())));
        return customer;
    }

    /**
     * A customer Stripe already has ({@code id}, of {@code org}), as an adopted database's orgs have: retrieved,
     * with no subscription listed yet ({@link Customer#subscription} changes that), and the item of its future
     * subscription for quantity updates.
     */
    public Customer existingCustomer(String id, UUID org) {
        Customer customer = new Customer(this, id, org, id("sub"), id("si"));
        retrievable(id, org);
        stub(post(urlPathEqualTo("/v1/subscription_items/" + customer.itemId)), json("""
                {"id": "%s", "object": "subscription_item", "quantity": 1, "subscription": "%s",
                 "created": 1721948530, "metadata": {}, "discounts": []}"""
                .formatted(customer.itemId, customer.subscriptionId)));
        return customer;
    }

    /**
     * The customer checkout creates for {@code org} ({@code POST /v1/customers}, with the org in its metadata) and
     * retrieves later, with no subscription yet; returns its id.
     */
    public String customerCreatedAtCheckout(UUID org) {
        String customer = id("cus");
        createdAtCheckout(customer, org);
        retrievable(customer, org);
        return customer;
    }

    /** {@code POST /v1/customers} for {@code org} (its id in the metadata) creates the customer {@code id}. */
    private void createdAtCheckout(String id, UUID org) {
        stub(post(urlPathEqualTo("/v1/customers")).withRequestBody(containing(org.toString())),
                json(customerJson(id, org)));
    }

    /** {@code GET /v1/customers/{id}} answers the customer, which lists no subscription yet. */
    private void retrievable(String id, UUID org) {
        stub(get(urlPathEqualTo("/v1/customers/" + id)), json(customerJson(id, org)));
        subscriptions(id);
    }

    /** The customer's subscriptions, as {@code GET /v1/subscriptions?customer=..&status=all} lists them. */
    public void subscriptions(String customer, String... subscriptions) {
        subscriptionsAnswer(customer, json(list(subscriptions)));
    }

    public void subscriptionsAnswer(String customer, ResponseDefinitionBuilder answer) {
        stub(get(urlPathEqualTo("/v1/subscriptions")).withQueryParam("customer", equalTo(customer))
                .withQueryParam("status", equalTo("all")), answer);
    }

    public int subscriptionListCalls(String customer) {
        return wireMock.find(RequestPatternBuilder.like(getRequestedFor(urlPathEqualTo("/v1/subscriptions"))
                .withQueryParam("customer", equalTo(customer)).build())).size();
    }

    /** The quantities billing set on a subscription item, oldest first. */
    public List<Long> quantitiesSet(String itemId) {
        return wireMock.find(postRequestedFor(urlPathEqualTo("/v1/subscription_items/" + itemId))).stream()
                .map(LoggedRequest::formParameters)
                .map(p -> Long.parseLong(p.get("quantity").firstValue())).toList();
    }

    /** A subscription shaped like fixtures3.json's, one licensed item, listed by {@link Subscription#stub()}. */
    public Subscription subscription(String customer, String status) {
        return new Subscription(this, id("sub"), customer, status, id("si"));
    }

    public static String id(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    public static String list(String... objects) {
        return "{\"object\": \"list\", \"url\": \"/v1/subscriptions\", \"has_more\": false, \"data\": ["
                + String.join(",", objects) + "]}";
    }

    public static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withHeader("Request-Id", "req_test").withBody(body);
    }

    /** A Stripe event about {@code object} (JSON), as Stripe sends it. */
    public static String event(String type, String object) {
        return event(type, object, Instant.now());
    }

    /** A Stripe event about {@code object} (JSON) that Stripe created at {@code created}. */
    public static String event(String type, String object, Instant created) {
        return """
                {"id": "%s", "object": "event", "api_version": "2026-07-29.dahlia", "created": %d,
                 "data": {"object": %s}, "livemode": false, "pending_webhooks": 1,
                 "request": {"id": null, "idempotency_key": null}, "type": "%s"}"""
                .formatted(id("evt"), created.getEpochSecond(), object, type);
    }

    public static String eventId(String event) {
        Matcher m = EVENT_ID.matcher(event);
        if (!m.find()) {
            throw new IllegalArgumentException(event);
        }
        return m.group(1);
    }

    /** The {@code Stripe-Signature} header Stripe sends with {@code payload} at {@code timestamp}, by stripe-java. */
    public static String sign(String payload, long timestamp) {
        try {
            return Webhook.Signature.generateSignatureHeader(payload, WEBHOOK_SECRET, timestamp);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sign(String payload) {
        return sign(payload, Instant.now().getEpochSecond());
    }

    private static String customerJson(String customer, UUID org) {
        return """
                {"id": "%s", "object": "customer", "balance": 0, "created": 1721948530, "currency": "usd",
                 "delinquent": false, "email": null, "livemode": false, "metadata": {"org_id": "%s"},
                 "preferred_locales": [], "tax_exempt": "none"}""".formatted(customer, org);
    }

    /** An org's Stripe customer and its one subscription (one licensed, per-seat item), made by checkout. */
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
            return new Subscription(stripe, subscriptionId, id, status, itemId).quantity(quantity).stub().json();
        }
    }

    /** A subscription as Stripe returns it; quantity 1 and no seat cap unless set. */
    public static final class Subscription {
        private final StripeStub stripe;
        public final String id;
        public final String customer;
        public final String itemId;
        private final String status;
        private long created = Instant.now().getEpochSecond() - 86_400;
        private long quantity = 1;
        private boolean remembered;
        private boolean cancelAtPeriodEnd;
        private final long periodStart = Instant.now().getEpochSecond() - 86_400;
        private long periodEnd = Instant.now().getEpochSecond() + 29 * 86_400;
        private String priceMetadata = "{}";

        Subscription(StripeStub stripe, String id, String customer, String status, String itemId) {
            this.stripe = stripe;
            this.id = id;
            this.customer = customer;
            this.status = status;
            this.itemId = itemId;
        }

        public Subscription quantity(long quantity) {
            this.quantity = quantity;
            return this;
        }

        /** The quantity comes from what was last POSTed to the item (starting at {@code quantity}). */
        public Subscription remembered() {
            this.remembered = true;
            return this;
        }

        public Subscription created(long epochSeconds) {
            this.created = epochSeconds;
            return this;
        }

        public Subscription cancelAtPeriodEnd(long periodEnd) {
            this.cancelAtPeriodEnd = true;
            this.periodEnd = periodEnd;
            return this;
        }

        public Subscription seatCap(int cap) {
            this.priceMetadata = "{\"seat_cap\": \"" + cap + "\"}";
            return this;
        }

        public long periodEnd() {
            return periodEnd;
        }

        public String json() {
            return """
                    {"id": "%s", "object": "subscription", "application": null, "billing_cycle_anchor": %d,
                     "cancel_at": %s, "cancel_at_period_end": %b, "canceled_at": null,
                     "collection_method": "charge_automatically", "created": %d, "currency": "usd",
                     "customer": "%s", "discounts": [], "ended_at": null, "livemode": false, "metadata": {},
                     "status": "%s", "trial_end": null, "trial_start": null,
                     "items": {"object": "list", "has_more": false, "url": "/v1/subscription_items?subscription=%s",
                      "data": [{"id": "%s", "object": "subscription_item", "created": %d, "discounts": [],
                       "metadata": {}, "quantity": %s, "subscription": "%s",
                       "current_period_start": %d, "current_period_end": %d,
                       "price": {"id": "%s", "object": "price", "active": true, "billing_scheme": "per_unit",
                        "created": 1721948530, "currency": "usd", "livemode": false, "lookup_key": null,
                        "metadata": %s, "nickname": null, "product": "prod_test",
                        "recurring": {"interval": "month", "interval_count": 1, "meter": null,
                         "usage_type": "licensed", "trial_period_days": null},
                        "tax_behavior": "unspecified", "type": "recurring", "unit_amount": 800,
                        "unit_amount_decimal": "800"}}]}}"""
                    .formatted(id, created, cancelAtPeriodEnd ? String.valueOf(periodEnd) : "null", cancelAtPeriodEnd,
                            created, customer, status, id, itemId, created, remembered ? "\"__QTY__\"" : quantity,
                            id, periodStart, periodEnd, PRICE_ID, priceMetadata);
        }

        /** Stubs the list for its customer with this one subscription (quantity remembered per item). */
        public Subscription stub() {
            ResponseDefinitionBuilder answer = StripeStub.json(list(json()));
            if (remembered) {
                answer = answer.withTransformers(StripeState.NAME).withTransformerParameter("item", itemId)
                        .withTransformerParameter("quantity", String.valueOf(quantity));
                stripe.stub(post(urlPathEqualTo("/v1/subscription_items/" + itemId)), StripeStub.json("""
                        {"id": "%s", "object": "subscription_item", "quantity": "__QTY__", "subscription": "%s",
                         "created": 1721948530, "metadata": {}, "discounts": []}""".formatted(itemId, id))
                        .withTransformers(StripeState.NAME).withTransformerParameter("item", itemId));
            }
            stripe.subscriptionsAnswer(customer, answer);
            return this;
        }
    }
}
