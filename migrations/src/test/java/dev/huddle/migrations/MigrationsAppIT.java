package dev.huddle.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        assertEquals(1, early.exitCode(), "validate before migrating must fail:\n" + early.getErrorOutput());

        LaunchResult migrate = launcher.launch("migrate");
        assertEquals(0, migrate.exitCode(), migrate.getErrorOutput());
        assertTrue(migrate.getErrorOutput().contains("migrate: done"), migrate.getErrorOutput());
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
        assertEquals(0, validate.exitCode(), validate.getErrorOutput());
        assertTrue(validate.getErrorOutput().contains("validate: done"), validate.getErrorOutput());

        // no command is migrate (the Job's default): nothing left to apply
        LaunchResult bare = launcher.launch();
        assertEquals(0, bare.exitCode(), bare.getErrorOutput());
        assertTrue(bare.getErrorOutput().contains("migrate: done"), bare.getErrorOutput());

        LaunchResult verify = launcher.launch("verify");
        assertEquals(0, verify.exitCode(), verify.getErrorOutput());
        assertTrue(verify.getErrorOutput().contains("verify: done"), verify.getErrorOutput());

        // our own schemas are not the old layout: adopt's guard stops before any change, naming what it does not know
        LaunchResult adopt = launcher.launch("adopt", "--plan");
        assertEquals(3, adopt.exitCode(), adopt.getErrorOutput());
        assertTrue(adopt.getErrorOutput().contains("adopt stopped before changing anything"), adopt.getErrorOutput());
        assertTrue(adopt.getErrorOutput().contains("unknown: table core.rooms "), adopt.getErrorOutput());
    }

    @Test
    void snapshotWritesTheSameBytesTwiceToStandardOutputOrTheOutFile(QuarkusMainLauncher launcher,
            @TempDir Path dir) throws IOException {
        LaunchResult first = launcher.launch("snapshot");
        assertEquals(0, first.exitCode(), first.getErrorOutput());
        assertTrue(first.getOutput().lines().anyMatch(l -> l.startsWith("schema ")), first.getOutput());
        Path file = dir.resolve("snapshot.txt");
        LaunchResult second = launcher.launch("snapshot", "--out", file.toString());
        assertEquals(0, second.exitCode(), second.getErrorOutput());
        assertEquals(first.getOutput(), Files.readString(file).stripTrailing());
    }

    @Test
    void anUnknownCommandIsRefusedWithExitCode2(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("migrat");
        assertEquals(2, result.exitCode());
        assertTrue(result.getErrorOutput().contains("unknown command 'migrat'"), result.getErrorOutput());
    }
}
