package dev.huddle.core.orgs;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class OrgRepository {

    private static final String FIND = """
            SELECT id, name, settings, created_at, updated_at
            FROM core.organizations
            WHERE id = $1""";

    private final Pool pool;

    public OrgRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Organization> find(UUID orgId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(orgId))
                .map(rows -> rows.size() == 0 ? null : toOrganization(rows.iterator().next()));
    }

    static Organization toOrganization(Row row) {
        return new Organization(row.getUUID("id"), row.getString("name"), row.getJsonObject("settings").getMap(),
                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
    }
}
