package dev.huddle.core.presence;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "RoomPresence", description = "Who is in a room now, as LiveKit reports it, earliest joined first.")
public record RoomPresenceResponse(
        @Schema(examples = "6a1f0c3e-2b4d-4e5f-8a9b-0c1d2e3f4a5b") UUID roomId,
        List<RoomParticipant> participants) {

    @Schema(name = "RoomParticipant", description = "One participant session (one device or tab) in the room.")
    public record RoomParticipant(
            @Schema(description = "LiveKit participant sid", examples = "PA_kq81Zs0T") String sid,
            @Schema(description = "LiveKit identity: the WorkOS user id", examples = "user_01JABCDEF0123456789ABCDEFG") String identity,
            @Schema(description = "The user, when the identity is one of ours; null otherwise", examples = "0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e") UUID userId,
            @Schema(examples = "2026-11-25T18:00:05Z") OffsetDateTime joinedAt) {
    }

    static RoomPresenceResponse of(UUID roomId, List<Participant> participants) {
        return new RoomPresenceResponse(roomId, participants.stream()
                .map(p -> new RoomParticipant(p.sid(), p.identity(), p.userId(), p.joinedAt())).toList());
    }
}
