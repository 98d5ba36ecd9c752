package dev.huddle.core.presence;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A participant session currently in a room, as stored. */
public record Participant(UUID roomId, String roomName, String sid, String identity, UUID userId,
        OffsetDateTime joinedAt) {
}
