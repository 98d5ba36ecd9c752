package dev.huddle.core.rooms;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Room", description = "A video room of an organization, backed by one LiveKit room.")
public record Room(
        @Schema(examples = "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99") UUID id,
        UUID orgId,
        @Schema(examples = "Weekly sync") String name,
        @Schema(description = "The LiveKit room to join", examples = "room_3c2b1a098f7e4d6c9b5a4e3d2c1b0a99") String livekitRoomName,
        @Schema(nullable = true) UUID createdBy,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {
}
