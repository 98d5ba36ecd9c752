package dev.huddle.migrations;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

/**
 * Connections and throwaway databases on a server: for {@code verify} (which migrates a scratch database to compare
 * with), the tests and the local stack.
 */
public final class Databases {

    private Databases() {
    }

    /** Connects straight through the driver: DriverManager would depend on the caller's class loader. */
    public static Connection connect(PgUrl url) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", url.user());
        url.password().ifPresent(p -> props.setProperty("password", p));
        props.setProperty("ApplicationName", "huddle-migrations");
        return new org.postgresql.Driver().connect(url.jdbcUrl(), props);
    }

    /** Creates a new, empty database named {@code prefix_<random>} and returns its URL. */
    public static PgUrl create(PgUrl server, String prefix) {
        String name = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).replace('-', '_');
        execute(server, "CREATE DATABASE " + name);
        return server.withDatabase(name);
    }

    /** Drops a database made by {@link #create}, closing any connection still open to it. */
    public static void drop(PgUrl server, String name) {
        execute(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void execute(PgUrl url, String sql) {
        try (Connection c = connect(url); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
