package dev.huddle.testing;

import java.util.Map;

import dev.huddle.migrations.Migrator;
import dev.huddle.migrations.PgUrl;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a test run a fresh database with all migrations applied, on the server {@link PostgresServer} provides,
 * and connects the service under test as its own {@code <schema>_app} role: every test also proves least
 * privilege. Init arg {@code schema}: the service's schema ({@code core}, {@code billing}...). The admin URL of the
 * database is in {@code huddle.test.db.admin-url} for assertions ({@link TestDatabase}).
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private String schema;
    private PgUrl server;
    private MigratedDatabase database;

    @Override
    public void init(Map<String, String> initArgs) {
        schema = initArgs.getOrDefault("schema", "core");
        if (!Migrator.SCHEMAS.contains(schema)) {
            throw new IllegalArgumentException("unknown schema " + schema);
        }
    }

    @Override
    public Map<String, String> start() {
        server = PostgresServer.shared();
        database = MigratedDatabase.create(server, "huddle_test_" + schema);
        PgUrl app = database.as(schema);
        return Map.of(
                "quarkus.datasource.reactive.url", app.reactiveUrl(),
                "quarkus.datasource.username", app.user(),
                "quarkus.datasource.password", app.password().orElse(""),
                TestDatabase.ADMIN_URL_PROPERTY, database.admin().withCredentials());
    }

    @Override
    public void stop() {
        if (database != null) {
            PostgresServer.dropDatabase(server, database.admin().database());
        }
    }
}
