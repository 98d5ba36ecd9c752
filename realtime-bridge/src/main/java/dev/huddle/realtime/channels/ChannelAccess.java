package dev.huddle.realtime.channels;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * Who may subscribe to what: {@code org:<orgId>} active members of that org; {@code room:<roomId>} active members
 * of the room's org ({@code core.room_directory}); {@code user:#<userId>} that user only. Anything else: nobody.
 */
@ApplicationScoped
public class ChannelAccess {

    private static final Pattern CHANNEL = Pattern.compile("^(org|room|user):(#?)([0-9a-fA-F-]{36})$");

    private final ChannelRepository repository;

    public ChannelAccess(ChannelRepository repository) {
        this.repository = repository;
    }

    /** Whether user {@code userId} (our user id, Centrifugo's {@code user}) may subscribe to {@code channel}. */
    public Uni<Boolean> maySubscribe(UUID userId, String channel) {
        if (userId == null || channel == null) {
            return Uni.createFrom().item(false);
        }
        Matcher m = CHANNEL.matcher(channel);
        if (!m.matches()) {
            return Uni.createFrom().item(false);
        }
        UUID id = parse(m.group(3));
        if (id == null) {
            return Uni.createFrom().item(false);
        }
        boolean userLimited = !m.group(2).isEmpty();
        return switch (m.group(1)) {
            case "org" -> userLimited ? Uni.createFrom().item(false) : repository.orgMember(id, userId);
            case "room" -> userLimited ? Uni.createFrom().item(false) : repository.roomMember(id, userId);
            case "user" -> Uni.createFrom().item(userLimited && id.equals(userId));
            default -> Uni.createFrom().item(false);
        };
    }

    /** A UUID, or null when {@code value} is not one. */
    public static UUID parse(String value) {
        if (value == null) {
            return null;
        }
        try {
            UUID uuid = UUID.fromString(value);
            return uuid.toString().equalsIgnoreCase(value) ? uuid : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
