package dev.huddle.billing.stripe;

import jakarta.inject.Singleton;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;

/** Skips the Stripe workers while {@code STRIPE_API_KEY} is not set. */
@Singleton
public class StripeNotConfigured implements Scheduled.SkipPredicate {

    private final StripeApi stripe;

    public StripeNotConfigured(StripeApi stripe) {
        this.stripe = stripe;
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return !stripe.configured();
    }
}
