package dev.huddle.billing.seats;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "DeadSeatSync", description = "An org whose Stripe quantity the seat worker gave up setting: "
        + "Stripe refused the update every time")
public record DeadSeatSync(UUID orgId, @Schema(description = "Failed attempts in a row") int attempts,
        @Schema(description = "Stripe's answer to the last one") String lastError, OffsetDateTime firstFailedAt,
        OffsetDateTime lastFailedAt,
        @Schema(description = "Membership changes waiting for the org's next sync") long pendingChanges) {
}
