package dev.huddle.core.orgs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

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
            INSERT INTO core.organizations (name, settings, workos_org_id) VALUES ($1, $2, $3)
            RETURNING id, name, settings, created_at, updated_at""";
    private static final String UPDATE = """
            UPDATE core.organizations
            SET name = coalesce($2, name), settings = coalesce($3, settings), updated_at = now()
            WHERE id = $1
            RETURNING id, name, settings, created_at, updated_at""";
    private static final String MINE = """
            SELECT o.id, o.name, o.settings, o.created_at, o.updated_at, m.role
            FROM core.memberships m
            JOIN core.organizations o ON o.id = m.org_id
            WHERE m.user_id = $1 AND m.status = 'active'
            ORDER BY o.name, o.id""";

    private final Pool pool;

    public OrgRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Organization> find(UUID orgId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(orgId))
                .map(rows -> rows.size() == 0 ? null : toOrganization(rows.iterator().next()));
    }

    Uni<Organization> insert(SqlConnection tx, String name, Map<String, Object> settings, String workosOrgId) {
        return tx.preparedQuery(INSERT).execute(Tuple.of(name, new JsonObject(settings), workosOrgId))
                .map(rows -> toOrganization(rows.iterator().next()));
    }

    Uni<Organization> update(SqlConnection tx, UUID orgId, String name, Map<String, Object> settings) {
        return tx.preparedQuery(UPDATE)
                .execute(Tuple.of(orgId, name, settings == null ? null : new JsonObject(settings)))
                .map(rows -> rows.size() == 0 ? null : toOrganization(rows.iterator().next()));
    }

    /** The orgs the user is an active member of, with their role in each. */
    Uni<List<OrgResponse>> mine(UUID userId) {
        return pool.preparedQuery(MINE).execute(Tuple.of(userId)).map(rows -> {
            List<OrgResponse> orgs = new ArrayList<>(rows.size());
            rows.forEach(row -> orgs.add(OrgResponse.of(toOrganization(row), row.getString("role"))));
            return orgs;
        });
    }

    static Organization toOrganization(Row row) {
        return new Organization(row.getUUID("id"), row.getString("name"), row.getJsonObject("settings").getMap(),
                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
    }
}
