package dev.huddle.core.presence;

import java.util.UUID;

/** A room as presence needs it: its org and its LiveKit room name. */
public record PresenceRoom(UUID orgId, UUID roomId, String livekitRoomName) {
}
