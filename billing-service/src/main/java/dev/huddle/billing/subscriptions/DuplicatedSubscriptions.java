package dev.huddle.billing.subscriptions;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "DuplicatedSubscriptions", description = "An org whose Stripe customer has more than one live "
        + "subscription: the one in use, and the others that bill it too")
public record DuplicatedSubscriptions(UUID orgId, String stripeCustomerId,
        @Schema(description = "The subscription the org's entitlement and seats follow") String subscriptionId,
        @Schema(description = "The other live subscriptions of the customer") List<String> otherLiveSubscriptionIds,
        @Schema(description = "When the last sync saw them") OffsetDateTime seenAt) {
}
