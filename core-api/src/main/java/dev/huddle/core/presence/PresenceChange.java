package dev.huddle.core.presence;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One participant session whose state really changed: what the outbox announces. */
public record PresenceChange(UUID orgId, UUID roomId, String sid, String identity, UUID userId, PresenceState state,
        OffsetDateTime joinedAt, OffsetDateTime leftAt) {
}
