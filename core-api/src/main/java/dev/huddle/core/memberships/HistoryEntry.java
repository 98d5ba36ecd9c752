package dev.huddle.core.memberships;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "MembershipHistoryEntry", description = "One membership change. A null from-side means the "
        + "membership was created; a null to-side means it was removed.")
public record HistoryEntry(
        long id,
        UUID userId,
        @Schema(nullable = true, description = "Who made the change; null for WorkOS and billing") UUID actorUserId,
        @Schema(enumeration = {
                "api", "workos", "billing" }) String source,
        @Schema(nullable = true) String fromRole,
        @Schema(nullable = true) String toRole,
        @Schema(nullable = true) String fromStatus,
        @Schema(nullable = true) String toStatus,
        OffsetDateTime createdAt){
}
