package dev.huddle.core.presence;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "OrgPresence", description = "Who is online in the organization: everyone in at least one of its rooms "
        + "now, with the rooms they are in.")
public record OrgPresenceResponse(
        @Schema(examples = "0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e") UUID orgId,
        List<OnlineUser> users) {

    @Schema(name = "OnlineUser", description = "One user (one LiveKit identity), in one or more rooms.")
    public record OnlineUser(
            @Schema(description = "The user, when the identity is one of ours; null otherwise", examples = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f") UUID userId,
            @Schema(description = "LiveKit identity: the WorkOS user id", examples = "user_01JABCDEF0123456789ABCDEFG") String identity,
            List<UserRoom> rooms) {
    }

    @Schema(name = "OnlineUserRoom", description = "A room the user is in; joinedAt is their earliest session there.")
    public record UserRoom(
            @Schema(examples = "6a1f0c3e-2b4d-4e5f-8a9b-0c1d2e3f4a5b") UUID roomId,
            @Schema(examples = "Standup") String name,
            @Schema(examples = "2026-11-25T18:00:05Z") OffsetDateTime joinedAt) {
    }

    /** Groups sessions (ordered by identity, then joinedAt) into users, one entry per room. */
    static OrgPresenceResponse of(UUID orgId, List<Participant> sessions) {
        Map<String, List<Participant>> byIdentity = new LinkedHashMap<>();
        sessions.forEach(s -> byIdentity.computeIfAbsent(s.identity(), i -> new ArrayList<>()).add(s));
        List<OnlineUser> users = new ArrayList<>(byIdentity.size());
        byIdentity.forEach((identity, own) -> {
            Map<UUID, UserRoom> rooms = new LinkedHashMap<>();
            own.forEach(s -> rooms.putIfAbsent(s.roomId(), new UserRoom(s.roomId(), s.roomName(), s.joinedAt())));
            UUID userId = own.stream().map(Participant::userId).filter(Objects::nonNull).findFirst().orElse(null);
            users.add(new OnlineUser(userId, identity, List.copyOf(rooms.values())));
        });
        return new OrgPresenceResponse(orgId, users);
    }
}
