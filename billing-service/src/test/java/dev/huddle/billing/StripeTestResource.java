package dev.huddle.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for Stripe's HTTP API: a WireMock server stripe-java is pointed at, with objects shaped like Stripe's
 * own samples (fixtures3.json). Tests stub and verify through {@link StripeStub}; subscription quantities set
 * through {@code POST /v1/subscription_items/{id}} are remembered by {@link StripeState}. Workers run every second.
 */
public class StripeTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String WEBHOOK_SECRET = "whsec_test_0123456789abcdef";
    public static final String PRICE_ID = "price_test_seat";
    public static final String OPERATOR = "user_01OPERATORTEST";
    static final String PORT_PROPERTY = "huddle.test.stripe.port";

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(40).extensions(new StripeState()));
        server.start();
        // products carry no seat_cap unless a test stubs one
        server.stubFor(get(urlPathMatching("/v1/products/.*")).atPriority(10).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("""
                        {"id": "prod_test", "object": "product", "active": true, "created": 1721948530,
                         "livemode": false, "metadata": {}, "name": "Huddle seats", "type": "service"}""")));
        return Map.ofEntries(
                Map.entry("huddle.stripe.api-base", "http://127.0.0.1:" + server.port()),
                Map.entry("huddle.stripe.api-key", "sk_test_wiremock"),
                Map.entry("huddle.stripe.webhook-secret", WEBHOOK_SECRET),
                Map.entry("huddle.stripe.read-timeout", "PT15S"),
                Map.entry("huddle.billing.price-id", PRICE_ID),
                Map.entry("huddle.ops.operators", OPERATOR),
                Map.entry("huddle.billing.inbox.poll-interval", "1s"),
                Map.entry("huddle.billing.inbox.max-attempts", "3"),
                Map.entry("huddle.billing.inbox.backoff-base", "PT0.3S"),
                Map.entry("huddle.billing.inbox.backoff-max", "PT1S"),
                Map.entry("huddle.billing.seats.poll-interval", "1s"),
                // longer than a round, so that a backoff shows between a failing org's attempts
                Map.entry("huddle.billing.seats.max-attempts", "3"),
                Map.entry("huddle.billing.seats.backoff-base", "PT2S"),
                Map.entry("huddle.billing.seats.backoff-max", "PT4S"),
                Map.entry(PORT_PROPERTY, String.valueOf(server.port())));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
