package dev.huddle.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.stripe.net.Webhook;

import dev.huddle.testing.TestDatabase;

/** Arranges the stubbed Stripe for a test (objects shaped like fixtures3.json) and signs events like Stripe. */
public final class StripeStub {

    private StripeStub() {
    }

    public static WireMock wireMock() {
        int port = ConfigProvider.getConfig().getValue(StripeTestResource.PORT_PROPERTY, Integer.class);
        return new WireMock("127.0.0.1", port);
    }

    public static String id(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** A Stripe customer of {@code orgId}, known to billing (as checkout would have made it). */
    public static String customerOf(UUID orgId) {
        String customer = id("cus");
        TestDatabase.sql("INSERT INTO billing.customers (org_id, stripe_customer_id) VALUES (?, ?)", orgId, customer);
        stub(get(urlPathEqualTo("/v1/customers/" + customer)), json("""
                {"id": "%s", "object": "customer", "balance": 0, "created": 1721948530, "currency": "usd",
                 "delinquent": false, "email": null, "livemode": false, "metadata": {"org_id": "%s"},
                 "preferred_locales": [], "tax_exempt": "none"}""".formatted(customer, orgId)));
        return customer;
    }

    public static void customerDeleted(String customer) {
        stub(get(urlPathEqualTo("/v1/customers/" + customer)),
                json("{\"deleted\": true, \"id\": \"%s\", \"object\": \"customer\"}".formatted(customer)));
    }

    /** The customer's subscriptions, as {@code GET /v1/subscriptions?customer=..&status=all} lists them. */
    public static void subscriptions(String customer, String... subscriptions) {
        subscriptionsAnswer(customer, json(list(subscriptions)));
    }

    public static void subscriptionsAnswer(String customer, ResponseDefinitionBuilder answer) {
        stub(get(urlPathEqualTo("/v1/subscriptions")).withQueryParam("customer", equalTo(customer))
                .withQueryParam("status", equalTo("all")), answer);
    }

    public static String list(String... objects) {
        return "{\"object\": \"list\", \"url\": \"/v1/subscriptions\", \"has_more\": false, \"data\": ["
                + String.join(",", objects) + "]}";
    }

    /** A subscription shaped like fixtures3.json's, one licensed item; pass quantity -1 for the remembered one. */
    public static Subscription subscription(String customer, String status) {
        return new Subscription(id("sub"), customer, status, id("si"));
    }

    public static final class Subscription {
        public final String id;
        public final String customer;
        public final String itemId;
        String status;
        long created = Instant.now().getEpochSecond() - 86_400;
        long quantity = 1;
        boolean remembered;
        boolean cancelAtPeriodEnd;
        long periodStart = Instant.now().getEpochSecond() - 86_400;
        long periodEnd = Instant.now().getEpochSecond() + 29 * 86_400;
        String priceMetadata = "{}";

        Subscription(String id, String customer, String status, String itemId) {
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
                            id, periodStart, periodEnd, StripeTestResource.PRICE_ID, priceMetadata);
        }

        /** Stubs the list for its customer with this one subscription (quantity remembered per item). */
        public Subscription stub() {
            ResponseDefinitionBuilder answer = StripeStub.json(list(json()));
            if (remembered) {
                answer = answer.withTransformers(StripeState.NAME).withTransformerParameter("item", itemId)
                        .withTransformerParameter("quantity", String.valueOf(quantity));
                StripeStub.stub(post(urlPathEqualTo("/v1/subscription_items/" + itemId)), StripeStub.json("""
                        {"id": "%s", "object": "subscription_item", "quantity": "__QTY__", "subscription": "%s",
                         "created": 1721948530, "metadata": {}, "discounts": []}""".formatted(itemId, id))
                        .withTransformers(StripeState.NAME).withTransformerParameter("item", itemId));
            }
            subscriptionsAnswer(customer, answer);
            return this;
        }
    }

    public static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withHeader("Request-Id", "req_test").withBody(body);
    }

    public static void stub(MappingBuilder request, ResponseDefinitionBuilder answer) {
        wireMock().register(request.willReturn(answer));
    }

    public static int subscriptionListCalls(String customer) {
        return wireMock().find(RequestPatternBuilder.like(getRequestedFor(urlPathEqualTo("/v1/subscriptions"))
                .withQueryParam("customer", equalTo(customer)).build())).size();
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
        var m = java.util.regex.Pattern.compile("\"id\": \"(evt_[^\"]+)\"").matcher(event);
        if (!m.find()) {
            throw new IllegalArgumentException(event);
        }
        return m.group(1);
    }

    /** A Stripe-Signature header for {@code payload}, made by stripe-java's own generator. */
    public static String sign(String payload, long timestamp) {
        try {
            return Webhook.Signature.generateSignatureHeader(payload, StripeTestResource.WEBHOOK_SECRET, timestamp);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sign(String payload) {
        return sign(payload, Instant.now().getEpochSecond());
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(condition::getAsBoolean);
    }

    public static Map<String, Object> subscriptionRow(UUID orgId) {
        List<Map<String, Object>> rows = TestDatabase.sql("""
                SELECT s.*, e.entitled, e.reason FROM billing.org_subscriptions s
                JOIN billing.org_entitlements e USING (org_id) WHERE s.org_id = ?""", orgId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    public static String inboxStatus(String eventId) {
        List<Map<String, Object>> rows = TestDatabase.sql("SELECT status FROM billing.stripe_event_inbox WHERE id = ?",
                eventId);
        return rows.isEmpty() ? null : (String) rows.get(0).get("status");
    }
}
