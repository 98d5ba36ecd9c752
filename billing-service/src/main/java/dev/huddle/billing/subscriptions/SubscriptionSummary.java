package dev.huddle.billing.subscriptions;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "SubscriptionSummary", description = "An org's entitlement and subscription. An org that never "
        + "subscribed has status none and is not entitled.")
public record SubscriptionSummary(
        UUID orgId,
        @Schema(description = "Stripe's subscription status, or none", enumeration = {
                "none", "incomplete",
                "incomplete_expired", "trialing", "active", "past_due", "unpaid", "canceled",
                "paused" }, examples = "active") String status,
        @Schema(description = "Whether the subscription entitles the org to use the API") boolean entitled,
        @Schema(description = "Why it is or is not entitled", examples = "active") String reason,
        @Schema(nullable = true, description = "The plan's seat limit; null is unlimited") Integer seatCap,
        @Schema(nullable = true, description = "Seats billed") Integer quantity,
        @Schema(nullable = true) OffsetDateTime currentPeriodEnd,
        boolean cancelAtPeriodEnd,
        @Schema(nullable = true, description = "When a past_due subscription stops entitling the org") OffsetDateTime graceEndsAt){

    public static SubscriptionSummary none(UUID orgId) {
        return new SubscriptionSummary(orgId, "none", false, "none", null, null, null, false, null);
    }
}
