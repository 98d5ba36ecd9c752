package dev.huddle.platform.tenancy;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The guard's query, the same in every service: the caller's active role in one org. Reads the view
 * {@code core.active_memberships}, which every service's role may select (and nothing more of core).
 */
@ApplicationScoped
public class MembershipRepository {

    private static final String FIND_ACTIVE = """
            SELECT user_id, role
            FROM core.active_memberships
            WHERE workos_user_id = $1 AND org_id = $2""";

    private final Pool pool;

    public MembershipRepository(Pool pool) {
        this.pool = pool;
    }

    /** The active membership, or null when the caller is not an active member (or the org does not exist). */
    public Uni<OrgMembership> findActive(String workosUserId, UUID orgId) {
        return pool.preparedQuery(FIND_ACTIVE).execute(Tuple.of(workosUserId, orgId))
                .map(rows -> toMembership(rows, workosUserId, orgId));
    }

    private static OrgMembership toMembership(RowSet<Row> rows, String workosUserId, UUID orgId) {
        var it = rows.iterator();
        if (!it.hasNext()) {
            return null;
        }
        Row row = it.next();
        return new OrgMembership(orgId, row.getUUID("user_id"), workosUserId, Role.of(row.getString("role")));
    }
}
