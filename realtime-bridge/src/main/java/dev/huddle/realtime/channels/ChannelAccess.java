package dev.huddle.realtime.channels;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Who may subscribe to what: {@code org:<orgId>} active members of that org; {@code room:<roomId>} active members
 * of the room's org ({@code core.room_directory}); {@code user:#<userId>} that user only. Anything else: nobody.
 */
@ApplicationScoped
public class ChannelAccess {

    private static final Pattern CHANNEL = Pattern.compile("^(org|room|user):(#?)([0-9a-fA-F-]{36})$");

    private static final String ORG_MEMBER = """
            SELECT 1 FROM core.active_memberships WHERE org_id = $1 AND user_id = $2""";

    private static final String ROOM_MEMBER = """
            SELECT 1
            FROM core.room_directory r
            JOIN core.active_memberships m ON m.org_id = r.org_id
            WHERE r.room_id = $1 AND m.user_id = $2""";

    private final Pool pool;

    public ChannelAccess(Pool pool) {
        this.pool = pool;
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
            case "org" -> userLimited ? Uni.createFrom().item(false) : exists(ORG_MEMBER, id, userId);
            case "room" -> userLimited ? Uni.createFrom().item(false) : exists(ROOM_MEMBER, id, userId);
            case "user" -> Uni.createFrom().item(userLimited && id.equals(userId));
            default -> Uni.createFrom().item(false);
        };
    }

    private Uni<Boolean> exists(String sql, UUID id, UUID userId) {
        return pool.preparedQuery(sql).execute(Tuple.of(id, userId)).map(rows -> rows.size() > 0);
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
