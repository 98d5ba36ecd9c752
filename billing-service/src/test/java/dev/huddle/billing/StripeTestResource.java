package dev.huddle.billing;

import java.util.Map;

import dev.huddle.testing.StripeStub;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for Stripe's HTTP API: the {@link StripeStub} server stripe-java is pointed at. Tests stub and verify
 * through {@link BillingFixtures#stripe()}. Workers run every second.
 */
public class StripeTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String OPERATOR = "user_01OPERATORTEST";
    static final String PORT_PROPERTY = "huddle.test.stripe.port";

    private StripeStub stripe;

    @Override
    public Map<String, String> start() {
        stripe = new StripeStub();
        return Map.ofEntries(
                Map.entry("huddle.stripe.api-base", stripe.baseUrl()),
                Map.entry("huddle.stripe.api-key", StripeStub.API_KEY),
                Map.entry("huddle.stripe.webhook-secret", StripeStub.WEBHOOK_SECRET),
                Map.entry("huddle.stripe.read-timeout", "PT15S"),
                Map.entry("huddle.billing.price-id", StripeStub.PRICE_ID),
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
                Map.entry(PORT_PROPERTY, String.valueOf(stripe.port())));
    }

    @Override
    public void stop() {
        if (stripe != null) {
            stripe.close();
        }
    }
}
