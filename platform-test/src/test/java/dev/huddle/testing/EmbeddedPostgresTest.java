package dev.huddle.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.huddle.testing.postgres.EmbeddedPostgres;

class EmbeddedPostgresTest {

    @Test
    void aThrowawayServerAcceptsConnectionsAndIsDeletedOnClose() throws SQLException {
        Path data;
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(null, 0, Map.of("max_connections", "20"))) {
            data = pg.dataDirectory();
            assertEquals("20", query(pg, "SHOW max_connections"));
            assertEquals("off", query(pg, "SHOW fsync"));
        }
        assertFalse(Files.exists(data), data + " should be gone");
    }

    @Test
    void keptDataSurvivesARestart(@TempDir Path dir) throws SQLException, IOException {
        // as root, the system user must be able to pass through the (private) temporary folder
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Path data = dir.resolve("pgdata");
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(data, 0, Map.of())) {
            assertEquals(data, pg.dataDirectory());
            execute(pg, "CREATE TABLE kept (v text)");
            execute(pg, "INSERT INTO kept VALUES ('still here')");
            assertEquals("on", query(pg, "SHOW fsync"));
        }
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(data, 0, Map.of())) {
            assertEquals("still here", query(pg, "SELECT v FROM kept"));
        }
    }

    @Test
    void aCrashedServerStartsAgainOnItsPortWithWhatItCommitted() throws SQLException {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(null, 0, Map.of("max_connections", "20"))) {
            int port = pg.port();
            execute(pg, "CREATE TABLE committed (v text)");
            execute(pg, "INSERT INTO committed VALUES ('before the crash')");
            pg.stop("immediate");
            assertThrows(SQLException.class, () -> query(pg, "SELECT 1"));
            pg.startAgain();
            assertEquals(port, pg.port());
            assertEquals("before the crash", query(pg, "SELECT v FROM committed"));
            assertEquals("20", query(pg, "SHOW max_connections"));
            pg.stop("fast");
            pg.startAgain();
            assertEquals("before the crash", query(pg, "SELECT v FROM committed"));
        }
    }

    @Test
    void asRootTheServerRunsAsTheUnprivilegedSystemUserThatOwnsTheData() throws SQLException, IOException {
        assumeTrue(EmbeddedPostgres.isRoot(), "only as root");
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(null, 0, Map.of())) {
            assertEquals(EmbeddedPostgres.SYSTEM_USER, Files.getOwner(pg.dataDirectory()).getName());
            String pid = Files.readAllLines(pg.dataDirectory().resolve("postmaster.pid")).get(0).trim();
            String uid = Files.readAllLines(Path.of("/proc", pid, "status")).stream()
                    .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[1];
            assertTrue(!"0".equals(uid), "the postmaster runs as root");
            assertEquals(uid, Files.getAttribute(pg.dataDirectory(), "unix:uid").toString());
        }
    }

    private static String query(EmbeddedPostgres pg, String sql) throws SQLException {
        try (Connection c = PostgresServer.connect(PostgresServer.adminUrl(pg));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void execute(EmbeddedPostgres pg, String sql) throws SQLException {
        try (Connection c = PostgresServer.connect(PostgresServer.adminUrl(pg)); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
