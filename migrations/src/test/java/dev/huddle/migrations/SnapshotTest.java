package dev.huddle.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Gate 0 snapshots and verify, on databases our migrations made. */
class SnapshotTest {

    private static PgUrl migrated;

    @BeforeAll
    static void migrate() {
        migrated = Databases.create(TestServer.shared(), "huddle_test_snapshot");
        new Migrator(migrated).migrate(Map.of());
    }

    @AfterAll
    static void drop() {
        Databases.drop(TestServer.shared(), migrated.database());
    }

    @Test
    void theSameDatabaseGivesTheSameBytesTwice() {
        String first = Migrator.snapshot(migrated).text();
        String second = Migrator.snapshot(migrated).text();
        assertEquals(first, second);
        for (String kind : List.of("schema core ", "table core.rooms ", "column core.rooms.org_id uuid not-null",
                "constraint recordings.recordings ", "index core.rooms_org_created_idx ", "function recordings.",
                "grant table core.room_directory to=realtime_app SELECT",
                "grant column core.rooms.id to=recordings_owner REFERENCES",
                "default-privilege for=core_owner in=core on=r to=core_app SELECT")) {
            assertTrue(first.lines().anyMatch(l -> l.startsWith(kind)), "no line starting with '" + kind + "'");
        }
        assertTrue(first.lines().anyMatch(l -> l.matches(
                "constraint recordings\\.recordings \\S+ FOREIGN KEY \\(room_id\\) REFERENCES core\\.rooms\\(id\\) ON DELETE SET NULL")),
                "the N2 foreign key with its action");
    }

    @Test
    void aFreshlyMigratedDatabaseHasNoDrift() {
        assertEquals(List.of(), new Migrator(migrated).verify());
    }

    @Test
    void verifyNamesEachDifference() throws SQLException {
        PgUrl drifted = Databases.create(TestServer.shared(), "huddle_test_drift");
        try {
            new Migrator(drifted).migrate(Map.of());
            try (Connection c = Databases.connect(drifted); Statement st = c.createStatement()) {
                st.execute("DROP INDEX core.rooms_org_created_idx");
                st.execute("ALTER TABLE core.rooms ENABLE ROW LEVEL SECURITY");
                st.execute("GRANT SELECT ON core.rooms TO PUBLIC");
                st.execute("CREATE FUNCTION core.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$");
                st.execute("CREATE TRIGGER rooms_touch BEFORE UPDATE ON core.rooms FOR EACH ROW EXECUTE FUNCTION core.touch()");
            }
            List<String> drift = new Migrator(drifted).verify();
            assertTrue(drift.stream().anyMatch(l -> l.startsWith("- index core.rooms_org_created_idx ")), drift::toString);
            assertTrue(drift.contains("- table core.rooms owner=core_owner rls=false force-rls=false"), drift::toString);
            assertTrue(drift.contains("+ table core.rooms owner=core_owner rls=true force-rls=false"), drift::toString);
            assertTrue(drift.contains("+ grant table core.rooms to=PUBLIC SELECT"), drift::toString);
            assertTrue(drift.stream().anyMatch(l -> l.startsWith("+ function core.touch() returns trigger")), drift::toString);
            assertTrue(drift.stream().anyMatch(l -> l.startsWith("+ trigger core.rooms rooms_touch ")), drift::toString);
            assertEquals(6, drift.size(), drift::toString);
        } finally {
            Databases.drop(TestServer.shared(), drifted.database());
        }
    }
}
