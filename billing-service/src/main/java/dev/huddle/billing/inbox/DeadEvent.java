package dev.huddle.billing.inbox;

import java.time.OffsetDateTime;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "DeadStripeEvent", description = "A Stripe event the inbox worker gave up on")
public record DeadEvent(String id, String type, @Schema(nullable = true) String stripeCustomerId, int attempts,
        @Schema(nullable = true) String lastError, OffsetDateTime stripeCreated, OffsetDateTime receivedAt) {
}
