package dev.huddle.billing.inbox;

/** An inbox row a worker has claimed; {@code attempts} counts this attempt. */
public record ClaimedEvent(String id, String type, String stripeCustomerId, int attempts) {
}
