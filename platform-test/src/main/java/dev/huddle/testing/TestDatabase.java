package dev.huddle.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.huddle.migrations.PgUrl;

/**
 * Direct access to the test run's database, for arranging data and asserting on it: as the admin that migrated
 * it, or as any service's role.
 */
public final class TestDatabase {

    static final String ADMIN_URL_PROPERTY = "huddle.test.db.admin-url";

    private TestDatabase() {
    }

    public static MigratedDatabase current() {
        return new MigratedDatabase(
                PgUrl.parse(ConfigProvider.getConfig().getValue(ADMIN_URL_PROPERTY, String.class)));
    }

    /** A connection as the admin (autocommit). */
    public static Connection admin() throws SQLException {
        return PostgresServer.connect(current().admin());
    }

    /** A connection as service {@code schema}'s {@code _app} role (autocommit). */
    public static Connection as(String schema) throws SQLException {
        return PostgresServer.connect(current().as(schema));
    }

    /** Runs a statement as the admin; returns the rows it produced (empty for updates). */
    public static List<Map<String, Object>> sql(String sql, Object... params) {
        return sql(current().admin(), sql, params);
    }

    /**
     * Runs a statement on another database than the run's (one a test made for itself), as {@code login}; returns
     * the rows it produced (empty for updates).
     */
    public static List<Map<String, Object>> sql(PgUrl login, String sql, Object... params) {
        try (Connection c = PostgresServer.connect(login); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            if (ps.execute()) {
                try (ResultSet rs = ps.getResultSet()) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int i = 1; i <= columns; i++) {
                            row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                        }
                        rows.add(row);
                    }
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The single value of a one-row, one-column query. */
    public static Object value(String sql, Object... params) {
        return value(current().admin(), sql, params);
    }

    /** The single value of a one-row, one-column query on another database than the run's, as {@code login}. */
    public static Object value(PgUrl login, String sql, Object... params) {
        List<Map<String, Object>> rows = sql(login, sql, params);
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new IllegalStateException("expected one value from " + sql + ", got " + rows);
        }
        return rows.get(0).values().iterator().next();
    }
}
