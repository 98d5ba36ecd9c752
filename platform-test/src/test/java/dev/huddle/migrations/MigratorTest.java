package dev.huddle.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.huddle.testing.MigratedDatabase;
import dev.huddle.testing.PostgresServer;

class MigratorTest {

    private static MigratedDatabase db;

    @BeforeAll
    static void migrate() {
        db = MigratedDatabase.create(PostgresServer.shared(), "huddle_test_migrator");
    }

    @AfterAll
    static void drop() {
        PostgresServer.dropDatabase(PostgresServer.shared(), db.admin().database());
    }

    @Test
    void runningTwiceAppliesNothingTheSecondTime() {
        List<String> report = new Migrator(db.admin()).migrate(Map.of());
        assertEquals("roles: ok", report.get(0));
        for (String line : report.subList(1, report.size())) {
            assertTrue(line.contains(": 0 applied"), line);
        }
        new Migrator(db.admin()).validate();
    }

    @Test
    void eachSchemaHasItsOwnHistoryAndIsOwnedByItsOwnerRole() throws SQLException {
        try (Connection c = PostgresServer.connect(db.admin()); Statement st = c.createStatement()) {
            for (String schema : Migrator.SCHEMAS) {
                try (ResultSet rs = st
                        .executeQuery("SELECT count(*) FROM " + schema + ".flyway_schema_history WHERE success")) {
                    rs.next();
                    assertTrue(rs.getInt(1) >= 1, schema + " has no history");
                }
                try (ResultSet rs = st.executeQuery(
                        """
                                SELECT n.nspowner::regrole::text, count(*) FILTER (WHERE c.relowner::regrole::text <> n.nspowner::regrole::text)
                                FROM pg_namespace n LEFT JOIN pg_class c ON c.relnamespace = n.oid
                                WHERE n.nspname = '%s' GROUP BY 1"""
                                .formatted(schema))) {
                    rs.next();
                    assertEquals(schema + "_owner", rs.getString(1));
                    assertEquals(0, rs.getInt(2), "objects in " + schema + " not owned by " + schema + "_owner");
                }
            }
        }
    }

    @Test
    void appRolesCanLogInButNotCreateOrOwnAnything() throws SQLException {
        try (Connection c = PostgresServer.connect(db.admin());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("""
                        SELECT rolname, rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolbypassrls
                        FROM pg_roles WHERE rolname LIKE '%\\_app' OR rolname LIKE '%\\_owner' ORDER BY rolname""")) {
            int seen = 0;
            while (rs.next()) {
                String role = rs.getString(1);
                if (!Migrator.SCHEMAS.contains(role.substring(0, role.lastIndexOf('_')))) {
                    continue;
                }
                seen++;
                assertEquals(role.endsWith("_app"), rs.getBoolean(2), role + " login");
                for (int column = 3; column <= 6; column++) {
                    assertEquals(false, rs.getBoolean(column), role + " " + rs.getMetaData().getColumnName(column));
                }
            }
            assertEquals(8, seen);
        }
    }

    @Test
    void aStatementTimeoutAppliesToTheRolesSessionsInTheMigratedDatabaseOnly() throws SQLException {
        MigratedDatabase other = MigratedDatabase.create(PostgresServer.shared(), "huddle_test_migrator_other");
        try {
            new Migrator(db.admin()).setStatementTimeouts(Map.of("billing", "7s"));
            assertEquals("7s", show(db.as("billing"), "statement_timeout"));
            assertEquals("0", show(other.as("billing"), "statement_timeout"), "another database is untouched");
            assertEquals("0", show(db.as("core"), "statement_timeout"), "another role is untouched");
        } finally {
            PostgresServer.dropDatabase(PostgresServer.shared(), other.admin().database());
        }
    }

    @Test
    void aTimeoutPostgreSQLCannotReadFailsAndChangesNothing() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Migrator(db.admin()).setStatementTimeouts(Map.of("core", "2s", "realtime", "soon")));
        assertTrue(e.getMessage().contains("statement_timeout"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Migrator(db.admin()).setStatementTimeouts(Map.of("nosuch", "1s")));
    }

    private static String show(dev.huddle.migrations.PgUrl url, String setting) throws SQLException {
        try (Connection c = PostgresServer.connect(url);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
