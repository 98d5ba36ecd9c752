package dev.huddle.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.huddle.testing.MigratedDatabase;
import dev.huddle.testing.PostgresServer;

/**
 * Least privilege, proven: each service's role can do exactly what docs/ARCHITECTURE.md grants it (its own
 * schema's rows, and the few cross-schema objects listed there) and is refused everything else, DDL included.
 * Every statement runs in a transaction that is rolled back.
 */
class RolePrivilegesTest {

    private static final String PERMISSION_DENIED = "42501";

    private static MigratedDatabase db;

    @BeforeAll
    static void migrate() {
        db = MigratedDatabase.create(PostgresServer.shared(), "huddle_test_privileges");
    }

    @AfterAll
    static void drop() {
        PostgresServer.dropDatabase(PostgresServer.shared(), db.admin().database());
    }

    static Stream<Arguments> granted() {
        return Stream.of(
                // own schema: rows, all four verbs
                Arguments.of("core", "INSERT INTO core.organizations (name) VALUES ('x')"),
                Arguments.of("core", "UPDATE core.users SET email = email"),
                Arguments.of("core", "DELETE FROM core.memberships"),
                Arguments.of("core", "SELECT * FROM core.rooms"),
                Arguments.of("core", "DELETE FROM core.auth_sessions"),
                Arguments.of("core", "SELECT * FROM core.auth_refresh_tokens"),
                Arguments.of("billing",
                        "INSERT INTO billing.customers (org_id, stripe_customer_id) VALUES (gen_random_uuid(), 'cus_x')"),
                Arguments.of("billing", "UPDATE billing.seat_changes SET processed_at = now()"),
                Arguments.of("billing", "SELECT * FROM billing.org_entitlements"),
                Arguments.of("realtime", "UPDATE realtime.outbox SET status = 'published'"),
                Arguments.of("realtime", "DELETE FROM realtime.outbox"),
                Arguments.of("realtime",
                        "INSERT INTO realtime.relay_replicas (replica, busy_until) VALUES (gen_random_uuid(), now())"),
                Arguments.of("recordings",
                        "INSERT INTO recordings.recordings (org_id, egress_id, status) VALUES (gen_random_uuid(), 'EG_x', 'recording')"),
                // cross-schema grants (ARCHITECTURE.md section 2)
                Arguments.of("core",
                        "INSERT INTO realtime.outbox (channel, payload, idempotency_key) VALUES ('org:x', '{}', 'k1')"),
                Arguments.of("core", "SELECT * FROM billing.org_entitlements"),
                Arguments.of("core", "SELECT busy_until FROM realtime.relay_replicas"),
                Arguments.of("recordings", "SELECT busy_until FROM realtime.relay_replicas"),
                Arguments.of("core",
                        "INSERT INTO billing.seat_changes (org_id, reason) VALUES (gen_random_uuid(), 'member_added')"),
                Arguments.of("billing", "SELECT * FROM core.org_seat_counts"),
                Arguments.of("billing", "SELECT * FROM core.active_memberships"),
                Arguments.of("realtime", "SELECT * FROM core.active_memberships"),
                Arguments.of("realtime", "SELECT * FROM core.room_directory"),
                Arguments.of("recordings", "SELECT * FROM core.room_directory"),
                Arguments.of("recordings", "SELECT * FROM core.active_memberships"),
                Arguments.of("recordings",
                        "INSERT INTO realtime.outbox (channel, payload, idempotency_key) VALUES ('room:x', '{}', 'k2')"));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                // no DDL, not even in the own schema
                Arguments.of("core", "CREATE TABLE core.sneaky (id int)"),
                Arguments.of("billing", "CREATE TABLE billing.sneaky (id int)"),
                Arguments.of("realtime", "CREATE TABLE realtime.sneaky (id int)"),
                Arguments.of("recordings", "CREATE TABLE recordings.sneaky (id int)"),
                Arguments.of("core", "ALTER TABLE core.rooms ADD COLUMN x int"),
                Arguments.of("recordings", "DROP TABLE recordings.recordings"),
                Arguments.of("core", "CREATE TABLE public.sneaky (id int)"),
                // core reaches only what it was granted
                Arguments.of("core", "SELECT * FROM realtime.outbox"),
                Arguments.of("core", "UPDATE realtime.outbox SET status = 'dead'"),
                Arguments.of("core", "UPDATE realtime.relay_replicas SET busy_until = now()"),
                Arguments.of("core", "SELECT * FROM billing.org_subscriptions"),
                Arguments.of("core", "SELECT * FROM billing.customers"),
                Arguments.of("core", "SELECT * FROM billing.seat_changes"),
                Arguments.of("core", "SELECT * FROM recordings.recordings"),
                // billing
                Arguments.of("billing", "SELECT * FROM core.users"),
                Arguments.of("billing", "SELECT * FROM core.memberships"),
                Arguments.of("billing", "INSERT INTO core.organizations (name) VALUES ('x')"),
                Arguments.of("billing", "SELECT * FROM core.rooms"),
                Arguments.of("billing", "SELECT * FROM core.auth_sessions"),
                Arguments.of("billing", "SELECT * FROM realtime.outbox"),
                Arguments.of("billing", "SELECT * FROM realtime.relay_replicas"),
                Arguments.of("billing",
                        "INSERT INTO realtime.outbox (channel, payload, idempotency_key) VALUES ('org:x', '{}', 'k3')"),
                Arguments.of("billing", "SELECT * FROM recordings.recordings"),
                // realtime
                Arguments.of("realtime", "SELECT * FROM core.users"),
                Arguments.of("realtime", "SELECT * FROM core.rooms"),
                Arguments.of("realtime", "SELECT * FROM core.memberships"),
                Arguments.of("realtime", "SELECT * FROM core.auth_sessions"),
                Arguments.of("realtime", "SELECT * FROM core.auth_refresh_tokens"),
                Arguments.of("realtime", "SELECT * FROM billing.org_subscriptions"),
                Arguments.of("realtime", "SELECT * FROM recordings.recordings"),
                // recordings
                Arguments.of("recordings", "SELECT * FROM core.users"),
                Arguments.of("recordings", "DELETE FROM core.rooms"),
                Arguments.of("recordings", "SELECT * FROM core.auth_sessions"),
                Arguments.of("recordings", "SELECT * FROM billing.org_subscriptions"),
                Arguments.of("recordings", "SELECT * FROM realtime.outbox"),
                Arguments.of("recordings",
                        "INSERT INTO billing.seat_changes (org_id, reason) VALUES (gen_random_uuid(), 'x')"));
    }

    /**
     * pg_cron's recordings jobs switch to recordings_owner before calling their functions, and those functions
     * announce what they change: the owner may append to the outbox, and do nothing else with it.
     */
    static Stream<Arguments> recordingsOwner() {
        return Stream.of(
                Arguments.of(true, "INSERT INTO realtime.outbox (channel, payload, idempotency_key) "
                        + "VALUES ('org:x', '{}', 'k4')"),
                Arguments.of(true, "SELECT recordings.announce('org:x', 'recording.updated', '{}')"),
                Arguments.of(false, "SELECT * FROM realtime.outbox"),
                Arguments.of(false, "UPDATE realtime.outbox SET status = 'dead'"),
                Arguments.of(false, "DELETE FROM realtime.outbox"),
                Arguments.of(false, "SELECT * FROM core.users"));
    }

    @ParameterizedTest(name = "recordings_owner {0}: {1}")
    @MethodSource("recordingsOwner")
    void theRecordingsOwnerMayAnnounceAndNoMore(boolean allowed, String sql) throws SQLException {
        try (Connection c = PostgresServer.connect(db.admin())) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL ROLE recordings_owner");
                st.execute(sql);
                if (!allowed) {
                    fail("recordings_owner was allowed: " + sql);
                }
            } catch (SQLException e) {
                if (allowed) {
                    throw e;
                }
                assertEquals(PERMISSION_DENIED, e.getSQLState(), "expected permission denied, got: " + e.getMessage());
            } finally {
                c.rollback();
            }
        }
    }

    @ParameterizedTest(name = "{0}_app may: {1}")
    @MethodSource("granted")
    void grantedStatementsRun(String schema, String sql) throws SQLException {
        try (Connection c = PostgresServer.connect(db.as(schema))) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute(sql);
            } finally {
                c.rollback();
            }
        }
    }

    @ParameterizedTest(name = "{0}_app may not: {1}")
    @MethodSource("refused")
    void everythingElseIsPermissionDenied(String schema, String sql) throws SQLException {
        try (Connection c = PostgresServer.connect(db.as(schema))) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute(sql);
                fail(schema + "_app was allowed: " + sql);
            } catch (SQLException e) {
                assertEquals(PERMISSION_DENIED, e.getSQLState(), "expected permission denied, got: " + e.getMessage());
            } finally {
                c.rollback();
            }
        }
    }
}
