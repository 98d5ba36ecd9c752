package dev.huddle.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.huddle.migrations.Adoption.Outcome;

/**
 * {@code adopt} on the pre-restructure fixture (run where pg_cron is not: the fixture's databases get the cron
 * stand-in, see legacy/00-supabase-platform.sql). Size: {@code huddle.adopt.messages} messages (10,000 unless set).
 */
class AdoptTest {

    private static final int MESSAGES = Integer.getInteger("huddle.adopt.messages", 10_000);

    /** Per moved table: the old side's rows and the new side's, each as count and an ordered md5 of the kept columns. */
    private static final Map<String, String[]> TABLES = new LinkedHashMap<>();
    static {
        TABLES.put("organizations", new String[] { "SELECT id, workos_org_id, name, created_at FROM public.organizations",
                "SELECT id, workos_org_id, name, created_at FROM core.organizations" });
        TABLES.put("users", new String[] { "SELECT id, workos_user_id, email, display_name FROM public.users",
                "SELECT id, workos_user_id, email, display_name FROM core.users" });
        TABLES.put("memberships", new String[] { "SELECT org_id, user_id, role, workos_membership_id FROM public.user_orgs",
                "SELECT org_id, user_id, role, workos_membership_id FROM core.memberships WHERE status = 'active'" });
        TABLES.put("rooms", new String[] { "SELECT id, org_id, name, livekit_room_name, created_by FROM public.rooms",
                "SELECT id, org_id, name, livekit_room_name, created_by FROM core.rooms" });
        TABLES.put("messages", new String[] {
                "SELECT id, org_id, room_id, user_id, parent_id, body, reply_count, created_at FROM public.chat_messages",
                "SELECT id, org_id, room_id, author_id, parent_id, body, reply_count, created_at FROM core.messages" });
        TABLES.put("room presence", new String[] { "SELECT room_id, participant_sid, org_id, user_id FROM public.room_presence",
                "SELECT room_id, participant_sid, org_id, user_id FROM core.room_presence WHERE state = 'joined'" });
        TABLES.put("recordings",
                new String[] { "SELECT id, org_id, room_id, egress_id, status, location FROM public.recordings",
                        "SELECT id, org_id, room_id, egress_id, status, location FROM recordings.recordings" });
        TABLES.put("stripe customers", new String[] { "SELECT org_id, stripe_customer_id FROM public.subscription_link",
                "SELECT org_id, stripe_customer_id FROM billing.customers" });
    }

    @Test
    void adoptMovesEveryKeptRowAndLeavesNoneOfTheOldMachinery() throws SQLException {
        PgUrl db = LegacyFixture.create("huddle_test_adopt", MESSAGES);
        try {
            Map<String, String> before = checksums(db, 0);
            List<String> log = new ArrayList<>();
            long started = System.nanoTime();
            Adoption.Result result = adoption(db, 10_000, line -> {
                log.add(line);
                System.out.println(line);
            }).run(false);
            System.out.printf("adopt of %d messages: %.1f s%n", MESSAGES, (System.nanoTime() - started) / 1e9);

            assertEquals(Outcome.DONE, result.outcome(), result.unknown()::toString);
            assertEquals(before, checksums(db, 1), "every kept row, moved unchanged");
            assertEquals(MESSAGES, ((Number) value(db, "SELECT count(*) FROM core.messages")).intValue());
            assertEquals(value(db, "SELECT count(*) FROM core.memberships"),
                    value(db,
                            "SELECT count(*) FROM core.membership_history WHERE to_status = 'active' AND from_status IS NULL"),
                    "S3: one history row per membership");
            assertTrue(log.stream().anyMatch(l -> l.matches(
                    "adopt: move-messages-threads: \\d+ of \\d+ rows moved \\(\\d+%\\), \\d+ rows/s, (about|done in) .*")),
                    () -> String.join("\n", log));
            assertTrue(result.text().contains("messages: " + MESSAGES + " -> " + MESSAGES), result.text());
            assertTrue(result.text().contains("drop trigger public.chat_messages chat_messages_rate_limit"), result.text());
            assertTrue(result.text().contains("drop table realtime.subscription"), result.text());
            assertTrue(
                    result.text()
                            .contains("drop function realtime.send(payload jsonb, event text, topic text, private boolean)"),
                    result.text());

            // nothing of RLS, licensing, user presence, Supabase realtime or the old triggers and functions is left
            assertEquals(0L, value(db, "SELECT count(*) FROM pg_class WHERE relrowsecurity"));
            assertEquals(0L, value(db, "SELECT count(*) FROM pg_policy"));
            for (String gone : List.of("public.org_licenses", "public.user_licenses", "public.subscription_link",
                    "public.user_presence", "public.chat_messages", "public.rooms", "realtime.messages")) {
                assertNull(value(db, "SELECT to_regclass(?)::text", gone), gone);
            }
            assertEquals(0L, value(db, """
                    SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace"""));
            assertEquals(0L, value(db, "SELECT count(*) FROM pg_publication_tables WHERE pubname = 'supabase_realtime'"));
            assertEquals(0L, value(db, "SELECT count(*) FROM vault.secrets"));
            // C3: none of Supabase Realtime's own objects is left in the realtime schema, which is ours now
            for (String gone : List.of("realtime.subscription", "realtime.schema_migrations")) {
                assertNull(value(db, "SELECT to_regclass(?)::text", gone), gone);
            }
            for (String gone : List.of("realtime.user_defined_filter", "realtime.equality_op", "realtime.action")) {
                assertNull(value(db, "SELECT to_regtype(?)::text", gone), gone);
            }
            assertEquals(0L, value(db, "SELECT count(*) FROM pg_proc WHERE pronamespace = 'realtime'::regnamespace"
                    + " AND proname IN ('send', 'topic', 'to_regrole', 'subscription_check_filters')"));
            // the two recordings jobs, kept, call our functions (as our recordings migrations schedule them)
            assertEquals(List.of("purge-expired-recordings|true", "reconcile-stale-recordings|true"), column(db,
                    """
                            SELECT jobname || '|' || (command LIKE 'SET ROLE recordings_owner; SELECT recordings.' || replace(jobname, '-', '\\_') || '(%')
                            FROM cron.job ORDER BY jobname"""));
            assertEquals(0L, value(db, "SELECT count(*) FROM cron.job WHERE NOT active"),
                    "paused while adopting, running again");
            assertEquals(List.of(), new Migrator(db).verify(), "no drift from what our migrations make");

            // each service's own login reads what it owns of the adopted data, and core's views it is granted (roles are
            // the server's: the passwords every test run sets, see platform-test's MigratedDatabase)
            new Migrator(db).migrate(Map.of("core", localPassword("core"), "billing", localPassword("billing"), "recordings",
                    localPassword("recordings")));
            assertEquals((long) MESSAGES, valueAs(db, "core", "SELECT count(*) FROM core.messages"));
            assertEquals(value(db, "SELECT count(*) FROM recordings.recordings"),
                    valueAs(db, "recordings",
                            "SELECT count(*) FROM recordings.recordings r JOIN core.room_directory d ON d.room_id = r.room_id"));
            assertEquals(value(db, "SELECT count(*) FROM core.memberships"),
                    valueAs(db, "billing", "SELECT sum(active_members) FROM core.org_seat_counts"));
            assertEquals(value(db, "SELECT count(*) FROM billing.customers"),
                    valueAs(db, "billing", "SELECT count(*) FROM billing.customers"));

            // N2: a recording belongs to its org and outlives its room
            Object room = value(db, "SELECT room_id FROM recordings.recordings WHERE status = 'ready' ORDER BY id LIMIT 1");
            Object recording = value(db, "SELECT id FROM recordings.recordings WHERE room_id = ? ORDER BY id LIMIT 1", room);
            execute(db, "DELETE FROM core.rooms WHERE id = ?", room);
            assertNull(value(db, "SELECT room_id FROM recordings.recordings WHERE id = ?", recording));

            // a second run changes nothing and says so
            String snapshot = Migrator.snapshot(db).text();
            List<String> again = new ArrayList<>();
            assertEquals(Outcome.DONE, adoption(db, 2_000, again::add).run(false).outcome());
            assertTrue(again.contains("adopt: this database was adopted before; nothing to do, nothing changed"),
                    again::toString);
            assertEquals(snapshot, Migrator.snapshot(db).text());
        } finally {
            Databases.drop(TestServer.shared(), db.database());
        }
    }

    @ParameterizedTest(name = "an unknown {0}")
    @CsvSource(delimiter = '|', value = {
            "trigger|CREATE TRIGGER audit_rooms AFTER INSERT ON public.rooms FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at()|trigger public.rooms audit_rooms ",
            "policy|CREATE POLICY rooms_select_anyone ON public.rooms FOR SELECT TO anon USING (true)|policy public.rooms rooms_select_anyone ",
            "cron job|SELECT cron.schedule('nightly-export', '0 2 * * *', 'SELECT 1')|cron-job nightly-export ",
            "function|CREATE FUNCTION public.export_org(org uuid) RETURNS integer LANGUAGE sql AS 'SELECT 1'|function public.export_org(org uuid) ",
            "trigger on Supabase's auth.users|CREATE TRIGGER on_auth_user_created AFTER INSERT ON auth.users FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at()|trigger auth.users on_auth_user_created ",
            "policy on Supabase Realtime's realtime.messages|CREATE POLICY private_channels ON realtime.messages FOR SELECT TO authenticated USING (true)|policy realtime.messages private_channels " })
    void anUnknownObjectStopsAdoptBeforeAnyChangeAndIsNamed(String what, String create, String named) {
        PgUrl db = LegacyFixture.create("huddle_test_guard", 100);
        try {
            LegacyFixture.add(db, create);
            String before = Migrator.snapshot(db).text();

            Adoption.Result result = adoption(db, 2_000, line -> {
            }).run(false);

            assertEquals(Outcome.STOPPED_BY_GUARD, result.outcome());
            assertEquals(1, result.unknown().size(), result.unknown()::toString);
            assertTrue(result.unknown().get(0).startsWith(named), result.unknown()::toString);
            assertEquals(before, Migrator.snapshot(db).text(), "nothing changed");
        } finally {
            Databases.drop(TestServer.shared(), db.database());
        }
    }

    @Test
    void aDatabaseWithoutSomeOfTheOldPiecesIsAdoptedAndSaysWhatWasNotThere() {
        PgUrl db = LegacyFixture.create("huddle_test_partial", 100);
        try {
            LegacyFixture.add(db, "DROP TABLE public.subscription_link");
            LegacyFixture.add(db, "DROP SCHEMA vault CASCADE");
            List<String> log = new ArrayList<>();
            Adoption.Result result = adoption(db, 2_000, log::add).run(false);
            assertEquals(Outcome.DONE, result.outcome(), result.unknown()::toString);
            assertTrue(
                    log.contains("adopt: move-stripe-customers: no public.subscription_link in this database, nothing to move"),
                    log::toString);
            assertEquals(0L, value(db, "SELECT count(*) FROM billing.customers"));
            assertEquals(100L, value(db, "SELECT count(*) FROM core.messages"));
            assertEquals(List.of(), new Migrator(db).verify());
        } finally {
            Databases.drop(TestServer.shared(), db.database());
        }
    }

    @Test
    void planPrintsEveryStepWithItsRowCountsAndChangesNothing() {
        PgUrl db = LegacyFixture.create("huddle_test_plan", 1_000);
        try {
            String before = Migrator.snapshot(db).text();
            Adoption.Result result = adoption(db, 2_000, line -> {
            }).run(true);
            assertEquals(Outcome.PLANNED, result.outcome());
            assertTrue(
                    result.text()
                            .contains("move-messages-threads: public.chat_messages (thread starts) -> core.messages, 800 rows"),
                    result.text());
            assertTrue(
                    result.text().contains("move-messages-replies: public.chat_messages (replies) -> core.messages, 200 rows"),
                    result.text());
            assertTrue(result.text().contains("drop policy public.rooms rooms_insert_admin"), result.text());
            assertTrue(result.text().contains("reschedule cron-job purge-expired-recordings"), result.text());
            assertEquals(before, Migrator.snapshot(db).text());
        } finally {
            Databases.drop(TestServer.shared(), db.database());
        }
    }

    @Test
    void killedMidwayThenRunAgainEndsInTheStateOfOneCleanRun() throws SQLException {
        int messages = Math.min(MESSAGES, 10_000);
        PgUrl clean = LegacyFixture.create("huddle_test_clean", messages);
        PgUrl killed = LegacyFixture.create("huddle_test_killed", messages);
        try {
            assertEquals(Outcome.DONE, adoption(clean, 500, line -> {
            }).run(false).outcome());

            // the session dies right after the first batch of messages committed, as when the Job's pod is killed
            AtomicBoolean killedOnce = new AtomicBoolean();
            Adoption first = adoption(killed, 500, line -> {
                if (line.startsWith("adopt: move-messages-threads: ") && killedOnce.compareAndSet(false, true)) {
                    execute(TestServer.shared(), """
                            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                            WHERE datname = ? AND application_name = 'huddle-migrations' AND pid <> pg_backend_pid()""",
                            killed.database());
                }
            });
            assertThrows(RuntimeException.class, () -> first.run(false));
            assertTrue(killedOnce.get());
            long movedBeforeKill = ((Number) value(killed,
                    "SELECT rows_moved FROM public.huddle_adoption WHERE step = 'move-messages-threads'")).longValue();
            assertTrue(movedBeforeKill > 0 && movedBeforeKill < messages, "killed midway: " + movedBeforeKill);

            List<String> log = new ArrayList<>();
            Adoption.Result resumed = adoption(killed, 500, log::add).run(false);
            assertEquals(Outcome.DONE, resumed.outcome(), resumed.unknown()::toString);
            assertTrue(log.stream().anyMatch(l -> l.contains("(resumed after " + movedBeforeKill + ")")), log::toString);

            assertEquals(checksums(clean, 1), checksums(killed, 1));
            assertEquals(Migrator.snapshot(clean).text(), Migrator.snapshot(killed).text());
            assertEquals(value(clean, "SELECT count(*) FROM core.membership_history"),
                    value(killed, "SELECT count(*) FROM core.membership_history"));
            String report = "SELECT report FROM public.huddle_adoption WHERE step = 'done'";
            assertEquals(value(clean, report), value(killed, report), "the same report: every object, every count");
        } finally {
            Databases.drop(TestServer.shared(), clean.database());
            Databases.drop(TestServer.shared(), killed.database());
        }
    }

    private static Adoption adoption(PgUrl db, int batch, java.util.function.Consumer<String> log) {
        return new Adoption(db, LegacyObjects.load(Optional.empty()), batch, log);
    }

    /** side 0: the old tables, 1: ours. */
    private static Map<String, String> checksums(PgUrl db, int side) throws SQLException {
        Map<String, String> sums = new LinkedHashMap<>();
        for (var table : TABLES.entrySet()) {
            String sql = "SELECT count(*) || ' rows, md5 ' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '-') FROM ("
                    + table.getValue()[side] + ") t";
            sums.put(table.getKey(), String.valueOf(value(db, sql)));
        }
        return sums;
    }

    private static Object value(PgUrl db, String sql, Object... params) {
        List<Object> values = query(db, sql, params);
        assertFalse(values.isEmpty(), sql);
        return values.get(0);
    }

    private static String localPassword(String schema) {
        return "local-" + schema + "-app";
    }

    /** A value read as service {@code schema}'s own login. */
    private static Object valueAs(PgUrl db, String schema, String sql) {
        Object v = value(db.as(Migrator.appRole(schema), localPassword(schema)), sql);
        return v instanceof Number n ? (Object) n.longValue() : v;
    }

    private static List<Object> column(PgUrl db, String sql) {
        return query(db, sql);
    }

    private static List<Object> query(PgUrl db, String sql, Object... params) {
        try (Connection c = Databases.connect(db); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<Object> values = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getObject(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static void execute(PgUrl db, String sql, Object... params) {
        try (Connection c = Databases.connect(db); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

}
