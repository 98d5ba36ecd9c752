package dev.huddle.billing.inbox;

import java.time.OffsetDateTime;

/** A verified Stripe event as the webhook stores it. */
public record InboxEvent(String id, String type, String apiVersion, OffsetDateTime stripeCreated, String payload,
        String stripeCustomerId) {
}
