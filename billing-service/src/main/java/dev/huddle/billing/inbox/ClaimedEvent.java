package dev.huddle.billing.inbox;

import java.util.UUID;

/**
 * An inbox row a worker has claimed; {@code attempts} counts this attempt. {@code orgId} is the org to sync for it; null
 * when the claim finished it already (ignored: a type that changes no subscription, or a customer of no org).
 */
public record ClaimedEvent(String id, String type, String stripeCustomerId, int attempts, UUID orgId) {
}
