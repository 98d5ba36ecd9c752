package dev.huddle.core.orgs;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.platform.paging.Cursor;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class OrgRepository {

    private static final String COLUMNS = "SELECT id, name, settings, created_at, updated_at FROM core.organizations";
    private static final String FIND = COLUMNS + " WHERE id = $1";
    private static final String INSERT = """
            INSERT INTO core.organizations (name, settings, workos_org_id, created_by) VALUES ($1, $2, $3, $4)
            RETURNING id, name, settings, created_at, updated_at""";
    private static final String UPDATE = """
            UPDATE core.organizations
            SET name = coalesce($2, name), settings = coalesce($3, settings), updated_at = now()
            WHERE id = $1
            RETURNING id, name, settings, created_at, updated_at""";
    // the caller's active memberships, newest first; $2, $3: the cursor (the membership's created_at, the org id)
    private static final String MINE = """
            SELECT o.id, o.name, o.settings, o.created_at, o.updated_at, m.role, m.created_at AS listed_at
            FROM core.memberships m
            JOIN core.organizations o ON o.id = m.org_id
            WHERE m.user_id = $1 AND m.status = 'active'
              AND ($2::timestamptz IS NULL OR (m.created_at, m.org_id) < ($2, $3::uuid))
            ORDER BY m.created_at DESC, m.org_id DESC
            LIMIT $4""";
    // serializes the org creations of one user, so that two at once cannot both pass the caps; NO KEY UPDATE does not
    // block the foreign-key checks of other writes that reference the user
    private static final String LOCK_CREATOR = "SELECT 1 FROM core.users WHERE id = $1 FOR NO KEY UPDATE";
    // the user's orgs now owned, and created in the last day with when the oldest of those leaves the day
    private static final String CREATOR_COUNTS = """
            SELECT (SELECT count(*) FROM core.memberships
                    WHERE user_id = $1 AND role = 'owner' AND status = 'active') AS owned,
                   count(*) AS created,
                   ceil(extract(epoch FROM min(created_at) + interval '1 day' - clock_timestamp()))::bigint AS frees_in
            FROM core.organizations
            WHERE created_by = $1 AND created_at > clock_timestamp() - interval '1 day'""";
    private static final String LOCK_WORKOS_ORG = """
            SELECT id, name, workos_updated_at FROM core.organizations WHERE workos_org_id = $1 FOR UPDATE""";
    private static final String ID_OF_WORKOS_ORG = "SELECT id FROM core.organizations WHERE workos_org_id = $1";
    private static final String RENAME_FROM_WORKOS = """
            UPDATE core.organizations SET name = $2, workos_updated_at = $3, updated_at = now() WHERE id = $1""";
    private static final String STAMP_WORKOS = "UPDATE core.organizations SET workos_updated_at = $2 WHERE id = $1";

    /** An org in the caller's list, with the position of its membership there. */
    record Listed(OrgResponse org, OffsetDateTime listedAt) {
    }

    /**
     * What a creator has: orgs owned, orgs created in the last 24 hours, and the seconds until the oldest of those is
     * older (null when there is none).
     */
    record CreatorCounts(long owned, long createdToday, Long freesIn) {
    }

    /**
     * An org as WorkOS last told us of it.
     *
     * @param workosUpdatedAt WorkOS's {@code updated_at} of the data last applied; null when none was
     */
    public record WorkOsOrg(UUID id, String name, OffsetDateTime workosUpdatedAt) {
    }

    private final Pool pool;

    public OrgRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Organization> find(UUID orgId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(orgId))
                .map(rows -> rows.size() == 0 ? null : toOrganization(rows.iterator().next()));
    }

    Uni<Organization> insert(SqlConnection tx, String name, Map<String, Object> settings, String workosOrgId,
            UUID createdBy) {
        return tx.preparedQuery(INSERT).execute(Tuple.of(name, new JsonObject(settings), workosOrgId, createdBy))
                .map(rows -> toOrganization(rows.iterator().next()));
    }

    Uni<Organization> update(SqlConnection tx, UUID orgId, String name, Map<String, Object> settings) {
        return tx.preparedQuery(UPDATE)
                .execute(Tuple.of(orgId, name, settings == null ? null : new JsonObject(settings)))
                .map(rows -> rows.size() == 0 ? null : toOrganization(rows.iterator().next()));
    }

    /** A page of the orgs the user is an active member of, with their role in each, newest membership first. */
    Uni<List<Listed>> mine(UUID userId, Cursor after, int fetch) {
        OffsetDateTime at = after == null ? null : after.createdAt();
        UUID id = after == null ? null : after.id();
        return pool.preparedQuery(MINE).execute(Tuple.of(userId, at, id, fetch)).map(rows -> {
            List<Listed> orgs = new ArrayList<>(rows.size());
            rows.forEach(row -> orgs.add(new Listed(OrgResponse.of(toOrganization(row), row.getString("role")),
                    row.getOffsetDateTime("listed_at"))));
            return orgs;
        });
    }

    /** Locks the creator (until the transaction ends) and counts what they have. */
    Uni<CreatorCounts> lockCreator(SqlConnection tx, UUID userId) {
        return tx.preparedQuery(LOCK_CREATOR).execute(Tuple.of(userId))
                .chain(() -> tx.preparedQuery(CREATOR_COUNTS).execute(Tuple.of(userId)))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new CreatorCounts(row.getLong("owned"), row.getLong("created"), row.getLong("frees_in"));
                });
    }

    /** The org of WorkOS organization {@code workosOrgId}, locked until the transaction ends; null when unknown. */
    public Uni<WorkOsOrg> lockWorkosOrg(SqlConnection tx, String workosOrgId) {
        return tx.preparedQuery(LOCK_WORKOS_ORG).execute(Tuple.of(workosOrgId)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            return new WorkOsOrg(row.getUUID("id"), row.getString("name"), row.getOffsetDateTime("workos_updated_at"));
        });
    }

    /** Our id of WorkOS organization {@code workosOrgId}; null when unknown. */
    public Uni<UUID> idOfWorkosOrg(SqlConnection tx, String workosOrgId) {
        return tx.preparedQuery(ID_OF_WORKOS_ORG).execute(Tuple.of(workosOrgId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID("id"));
    }

    /** Renames the org as WorkOS did, recording WorkOS's {@code updated_at} of the change. */
    public Uni<Void> renameFromWorkOs(SqlConnection tx, UUID orgId, String name, OffsetDateTime workosUpdatedAt) {
        return tx.preparedQuery(RENAME_FROM_WORKOS).execute(Tuple.of(orgId, name, workosUpdatedAt)).replaceWithVoid();
    }

    /** Records WorkOS's {@code updated_at} of data that changed nothing else. */
    public Uni<Void> stampWorkos(SqlConnection tx, UUID orgId, OffsetDateTime workosUpdatedAt) {
        return tx.preparedQuery(STAMP_WORKOS).execute(Tuple.of(orgId, workosUpdatedAt)).replaceWithVoid();
    }

    static Organization toOrganization(Row row) {
        return new Organization(row.getUUID("id"), row.getString("name"), row.getJsonObject("settings").getMap(),
                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
    }
}
