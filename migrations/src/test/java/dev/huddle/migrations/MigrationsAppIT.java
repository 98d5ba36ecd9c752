package dev.huddle.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainLauncher;

/** The packaged app (quarkus-run.jar), as the rollout Job runs it, on a fresh empty database. */
@QuarkusMainIntegrationTest
@WithTestResource(ScratchDatabaseResource.class)
class MigrationsAppIT {

    @AfterAll
    static void dropDatabase() {
        ScratchDatabaseResource.dropCurrent();
    }

    @Test
    void migratesAnEmptyDatabaseAndValidatesItOnlyOnceMigrated(QuarkusMainLauncher launcher) throws SQLException {
        LaunchResult early = launcher.launch("validate");
        assertEquals(1, early.exitCode(), "validate before migrating must fail:\n" + early.getOutput());

        LaunchResult migrate = launcher.launch("migrate");
        assertEquals(0, migrate.exitCode(), migrate.getOutput() + migrate.getErrorOutput());
        assertTrue(migrate.getOutput().contains("migrate: done"), migrate.getOutput());
        try (Connection c = Databases.connect(ScratchDatabaseResource.current()); Statement st = c.createStatement()) {
            for (String schema : Migrator.SCHEMAS) {
                try (ResultSet rs = st.executeQuery(
                        "SELECT count(*) FILTER (WHERE NOT success), count(*) FROM " + schema + ".flyway_schema_history")) {
                    rs.next();
                    assertEquals(0, rs.getInt(1), schema + " has a failed migration");
                    assertTrue(rs.getInt(2) > 0, schema + " was not migrated");
                }
            }
        }

        LaunchResult validate = launcher.launch("validate");
        assertEquals(0, validate.exitCode(), validate.getOutput() + validate.getErrorOutput());
        assertTrue(validate.getOutput().contains("validate: done"), validate.getOutput());
    }

    @Test
    void anUnknownCommandIsRefusedWithExitCode2(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("migrat");
        assertEquals(2, result.exitCode());
        assertTrue(result.getOutput().contains("unknown command 'migrat'"), result.getOutput());
    }
}
