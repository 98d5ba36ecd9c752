package dev.huddle.realtime.channels;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What {@link ChannelAccess} reads of core's: the active memberships ({@code core.active_memberships}) and the rooms'
 * orgs ({@code core.room_directory}), the views realtime-bridge's role may select.
 */
@ApplicationScoped
public class ChannelRepository {

    private static final String ORG_MEMBER = """
            SELECT 1 FROM core.active_memberships WHERE org_id = $1 AND user_id = $2""";

    private static final String ROOM_MEMBER = """
            SELECT 1
            FROM core.room_directory r
            JOIN core.active_memberships m ON m.org_id = r.org_id
            WHERE r.room_id = $1 AND m.user_id = $2""";

    private final Pool pool;

    public ChannelRepository(Pool pool) {
        this.pool = pool;
    }

    /** Whether user {@code userId} is an active member of org {@code orgId}. */
    Uni<Boolean> orgMember(UUID orgId, UUID userId) {
        return exists(ORG_MEMBER, orgId, userId);
    }

    /** Whether user {@code userId} is an active member of the org of room {@code roomId}. */
    Uni<Boolean> roomMember(UUID roomId, UUID userId) {
        return exists(ROOM_MEMBER, roomId, userId);
    }

    private Uni<Boolean> exists(String sql, UUID id, UUID userId) {
        return pool.preparedQuery(sql).execute(Tuple.of(id, userId)).map(rows -> rows.size() > 0);
    }
}
