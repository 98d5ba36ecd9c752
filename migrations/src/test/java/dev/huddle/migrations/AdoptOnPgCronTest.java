package dev.huddle.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.huddle.migrations.Adoption.Outcome;

/**
 * {@code adopt} where the old database is pg_cron's own, as on Supabase (pg_cron lives in {@code postgres}): the old
 * jobs are pg_cron's, read from the real {@code cron.job}, paused while adopt works, unscheduled or pointed at our
 * functions through pg_cron's own functions, and {@code verify} compares them with what our migrations schedule.
 * <p>
 * pg_cron runs in one database of a server ({@code cron.database_name}: {@code postgres} on CI's server, see
 * .ci/postgres.sh), so the fixture is installed in that database of the test server, adopted, and removed again
 * (before, in case an earlier run was killed, and after). Where the server has no pg_cron the test is skipped, except
 * when {@code CI} is set: CI's server has it, so there the test fails instead of passing unnoticed.
 */
class AdoptOnPgCronTest {

    /** Marks the fixture as this test's, so that it never removes what it did not make (a real Supabase's auth). */
    private static final String MARK = "COMMENT ON SCHEMA auth IS 'AdoptOnPgCronTest fixture'";

    private static final String OLD_JOBS = "('check-expired-licenses', 'clear-stale-presence', 'reconcile-stale-recordings',"
            + " 'purge-expired-recordings', 'nightly-export')";

    @Test
    void theOldJobsArePausedThenUnscheduledOrRescheduledThroughPgCronItself() throws SQLException {
        PgUrl cron = cronDatabase();
        remove(cron);
        try {
            LegacyFixture.install(cron, 1_000);
            execute(cron, MARK);
            assertEquals(List.of("check-expired-licenses|0 * * * *|true", "clear-stale-presence|*/1 * * * *|true",
                    "purge-expired-recordings|17 3 * * *|true", "reconcile-stale-recordings|*/5 * * * *|true"),
                    jobs(cron, "jobname || '|' || schedule || '|' || active"), "the old jobs, pg_cron's");

            List<String> activeWhileMoving = new ArrayList<>();
            List<String> log = new ArrayList<>();
            Adoption.Result result = new Adoption(cron, LegacyObjects.load(Optional.empty()), 500, line -> {
                log.add(line);
                if (line.startsWith("adopt: move-organizations") && activeWhileMoving.isEmpty()) {
                    activeWhileMoving.addAll(jobs(cron, "jobname || '|' || active"));
                }
            }).run(false);

            assertEquals(Outcome.DONE, result.outcome(), result.unknown()::toString);
            assertEquals(List.of("check-expired-licenses|false", "clear-stale-presence|false",
                    "purge-expired-recordings|false", "reconcile-stale-recordings|false"), activeWhileMoving,
                    () -> "paused while adopt moved their tables\n" + String.join("\n", log));
            // N1 and C2's jobs gone; the recordings jobs kept, on our functions, running again, as the adopting login
            assertEquals(List.of(
                    "purge-expired-recordings|17 3 * * *|SET ROLE recordings_owner; SELECT recordings.purge_expired_recordings()|true|true",
                    "reconcile-stale-recordings|*/5 * * * *|SET ROLE recordings_owner; SELECT recordings.reconcile_stale_recordings()|true|true"),
                    jobs(cron,
                            "jobname || '|' || schedule || '|' || command || '|' || active || '|' || (username = session_user)"));
            assertEquals(List.of(), new Migrator(cron).verify(), "no drift, pg_cron's jobs included");

            // verify compares the jobs: one our migrations do not schedule is named
            execute(cron, "SELECT cron.schedule('nightly-export', '0 2 * * *', 'SELECT 1')");
            assertEquals(List.of("+ cron-job nightly-export schedule=0 2 * * * command=SELECT 1"), new Migrator(cron).verify());
            execute(cron, "SELECT cron.unschedule('nightly-export')");
            execute(cron, """
                    SELECT cron.alter_job(jobid, schedule := '*/10 * * * *') FROM cron.job
                    WHERE jobname = 'reconcile-stale-recordings' AND database = current_database()""");
            assertEquals(List.of(
                    "+ cron-job reconcile-stale-recordings schedule=*/10 * * * * command=SET ROLE recordings_owner; SELECT recordings.reconcile_stale_recordings()",
                    "- cron-job reconcile-stale-recordings schedule=*/5 * * * * command=SET ROLE recordings_owner; SELECT recordings.reconcile_stale_recordings()"),
                    new Migrator(cron).verify());
        } finally {
            remove(cron);
        }
    }

    /** The server's pg_cron database, with the extension created; skips (or fails under CI) where there is none. */
    private static PgUrl cronDatabase() throws SQLException {
        PgUrl server = TestServer.shared();
        String database;
        try (Connection c = Databases.connect(server);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("""
                        SELECT current_setting('cron.database_name', true)
                        FROM pg_available_extensions WHERE name = 'pg_cron'
                          AND current_setting('shared_preload_libraries') LIKE '%pg_cron%'""")) {
            database = rs.next() ? rs.getString(1) : null;
        }
        if (database == null) {
            String why = "pg_cron is not installed or not preloaded on the test server";
            String ci = System.getenv("CI");
            // CI's own server (PG_ADMIN_URL, .ci/postgres.sh) has it; the embedded one, which .ci/run also uses,
            // never does
            if (ci != null && !ci.isBlank() && System.getenv("PG_ADMIN_URL") != null) {
                fail(why + ": CI's server must have it (see .ci/postgres.sh)");
            }
            Assumptions.abort("skipped: " + why);
        }
        PgUrl cron = server.withDatabase(database);
        execute(cron, "CREATE EXTENSION IF NOT EXISTS pg_cron");
        try (Connection c = Databases.connect(cron);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        """
                                SELECT to_regnamespace('auth') IS NOT NULL
                                   AND obj_description(to_regnamespace('auth'), 'pg_namespace') IS DISTINCT FROM 'AdoptOnPgCronTest fixture'""")) {
            rs.next();
            if (rs.getBoolean(1)) {
                fail("the pg_cron database " + database + " has an auth schema this test did not make: it is not a"
                        + " throwaway test server's, and this test removes what it adds there");
            }
        }
        return cron;
    }

    /** Takes the fixture and everything adopt made out of pg_cron's database again; the roles are the server's. */
    private static void remove(PgUrl cron) {
        execute(cron, """
                DO $$
                DECLARE
                    f text;
                BEGIN
                    PERFORM cron.unschedule(jobid) FROM cron.job WHERE database = current_database() AND jobname IN %s;
                    DROP SCHEMA IF EXISTS core, billing, realtime, recordings, auth, net, vault CASCADE;
                    DROP PUBLICATION IF EXISTS supabase_realtime;
                    DROP TABLE IF EXISTS public.huddle_adoption, public.user_licenses, public.org_licenses,
                        public.subscription_link, public.user_presence, public.room_presence, public.recordings,
                        public.chat_messages, public.rooms, public.user_orgs, public.users, public.organizations,
                        public.eventsync_cursor CASCADE;
                    FOR f IN SELECT p.oid::regprocedure::text FROM pg_proc p
                             WHERE p.pronamespace = 'public'::regnamespace
                               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') LOOP
                        EXECUTE 'DROP ROUTINE ' || f || ' CASCADE';
                    END LOOP;
                    IF to_regrole('anon') IS NOT NULL THEN
                        REVOKE ALL ON SCHEMA public FROM anon, authenticated, service_role;
                    END IF;
                END
                $$""".formatted(OLD_JOBS));
    }

    private static List<String> jobs(PgUrl db, String projection) {
        List<String> jobs = new ArrayList<>();
        try (Connection c = Databases.connect(db);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + projection
                        + " FROM cron.job WHERE database = current_database() ORDER BY jobname")) {
            while (rs.next()) {
                jobs.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        assertTrue(jobs.stream().allMatch(j -> j != null), jobs::toString);
        return jobs;
    }

    private static void execute(PgUrl db, String sql) {
        try (Connection c = Databases.connect(db); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
