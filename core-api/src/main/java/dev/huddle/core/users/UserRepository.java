package dev.huddle.core.users;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class UserRepository {

    private static final String FIND_BY_WORKOS_ID = """
            SELECT id, workos_user_id, email, display_name
            FROM core.users
            WHERE workos_user_id = $1""";

    private static final String ACTIVE_MEMBERSHIPS = """
            SELECT m.org_id, o.name AS org_name, m.role
            FROM core.memberships m
            JOIN core.organizations o ON o.id = m.org_id
            WHERE m.user_id = (SELECT id FROM core.users WHERE workos_user_id = $1)
              AND m.status = 'active'
            ORDER BY o.name, m.org_id""";

    private final Pool pool;

    public UserRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<User> findByWorkosId(String workosUserId) {
        return pool.preparedQuery(FIND_BY_WORKOS_ID).execute(Tuple.of(workosUserId))
                .map(rows -> rows.size() == 0 ? null : toUser(rows.iterator().next()));
    }

    public Uni<List<MembershipSummary>> activeMemberships(String workosUserId) {
        return pool.preparedQuery(ACTIVE_MEMBERSHIPS).execute(Tuple.of(workosUserId))
                .map(rows -> {
                    List<MembershipSummary> list = new java.util.ArrayList<>(rows.size());
                    for (Row row : rows) {
                        list.add(new MembershipSummary(row.getUUID("org_id"), row.getString("org_name"),
                                row.getString("role")));
                    }
                    return list;
                });
    }

    static User toUser(Row row) {
        return new User(row.getUUID("id"), row.getString("workos_user_id"), row.getString("email"),
                row.getString("display_name"));
    }
}
