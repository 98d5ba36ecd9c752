package dev.huddle.migrations;

import java.util.Map;
import java.util.Optional;

import dev.huddle.testing.postgres.EmbeddedPostgres;

/**
 * The server this module's tests create their databases on: the one {@code PG_ADMIN_URL} names (CI starts one),
 * otherwise an embedded PostgreSQL 15 started once per JVM, as an unprivileged system user when this JVM is root.
 * (platform-test's {@code PostgresServer} does the same for every other module; it depends on this module, so this
 * module cannot use it.)
 */
final class TestServer {

    private static PgUrl shared;

    private TestServer() {
    }

    static synchronized PgUrl shared() {
        if (shared == null) {
            String configured = System.getenv("PG_ADMIN_URL");
            if (configured != null && !configured.isBlank()) {
                shared = PgUrl.parse(configured);
            } else {
                EmbeddedPostgres pg = EmbeddedPostgres.start(null, 0, Map.of("max_connections", "100"));
                Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "embedded-postgres-stop"));
                shared = new PgUrl("localhost", pg.port(), EmbeddedPostgres.SUPERUSER, "postgres",
                        Optional.of(EmbeddedPostgres.SUPERUSER_PASSWORD));
            }
        }
        return shared;
    }
}
