package dev.huddle.core.users;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
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

    private static final String UPSERT_FROM_WORKOS = """
            INSERT INTO core.users (workos_user_id, email, display_name, workos_updated_at, email_verified)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (workos_user_id) DO UPDATE
            SET email = excluded.email, display_name = excluded.display_name,
                workos_updated_at = excluded.workos_updated_at, email_verified = excluded.email_verified,
                updated_at = now()
            WHERE (core.users.workos_updated_at IS NULL OR core.users.workos_updated_at <= excluded.workos_updated_at)
              AND (core.users.email, core.users.display_name, core.users.workos_updated_at, core.users.email_verified)
                  IS DISTINCT FROM (excluded.email, excluded.display_name, excluded.workos_updated_at,
                                    excluded.email_verified)""";
    private static final String WORKOS_USER = """
            SELECT id, workos_updated_at, email_verified FROM core.users WHERE workos_user_id = $1""";
    private static final String LOCK_WORKOS_USER = WORKOS_USER + " FOR UPDATE";
    private static final String DELETE = "DELETE FROM core.users WHERE id = $1";

    /**
     * A user as WorkOS last told us of them.
     *
     * @param workosUpdatedAt WorkOS's {@code updated_at} of the data last applied; null when none was
     */
    public record WorkOsUser(UUID id, OffsetDateTime workosUpdatedAt, boolean emailVerified) {
    }

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

    /**
     * Creates or updates the user of WorkOS user {@code workosUserId} with WorkOS's data, unless the row has newer
     * data ({@code workosUpdatedAt}) or the same. An email another user has (any case) fails it.
     */
    public Uni<Void> upsertFromWorkOs(SqlConnection tx, String workosUserId, String email, String displayName,
            OffsetDateTime workosUpdatedAt, boolean emailVerified) {
        return tx.preparedQuery(UPSERT_FROM_WORKOS)
                .execute(Tuple.of(workosUserId, email, displayName, workosUpdatedAt, emailVerified)).replaceWithVoid();
    }

    /** The user of WorkOS user {@code workosUserId}; null when unknown. */
    public Uni<WorkOsUser> workosUser(SqlConnection tx, String workosUserId) {
        return workosUser(tx, WORKOS_USER, workosUserId);
    }

    /** The user of WorkOS user {@code workosUserId}, locked until the transaction ends; null when unknown. */
    public Uni<WorkOsUser> lockWorkosUser(SqlConnection tx, String workosUserId) {
        return workosUser(tx, LOCK_WORKOS_USER, workosUserId);
    }

    private static Uni<WorkOsUser> workosUser(SqlConnection tx, String sql, String workosUserId) {
        return tx.preparedQuery(sql).execute(Tuple.of(workosUserId)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            return new WorkOsUser(row.getUUID("id"), row.getOffsetDateTime("workos_updated_at"),
                    row.getBoolean("email_verified"));
        });
    }

    /** Deletes the user row: their messages stay with a null author (the foreign keys say what goes with it). */
    public Uni<Void> delete(SqlConnection tx, UUID userId) {
        return tx.preparedQuery(DELETE).execute(Tuple.of(userId)).replaceWithVoid();
    }

    static User toUser(Row row) {
        return new User(row.getUUID("id"), row.getString("workos_user_id"), row.getString("email"),
                row.getString("display_name"));
    }
}
