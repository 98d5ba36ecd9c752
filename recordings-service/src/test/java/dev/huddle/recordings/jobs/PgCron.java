package dev.huddle.recordings.jobs;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;

import dev.huddle.testing.PostgresServer;

/**
 * pg_cron on the test server, as CI has it: preloaded, and creatable only in the database {@code cron.database_name}
 * names (the server's admin database, {@code postgres}), while each test run migrates a database of its own. So the
 * migrations' scheduling is run there in a transaction that is rolled back (nothing stays in that shared database),
 * and a job is run for real in a test's database with {@code cron.schedule_in_database}.
 * <p>
 * Where pg_cron is not usable a test is skipped, except when {@code CI} is set: CI's server has pg_cron, so there
 * the test fails instead of passing unnoticed.
 */
final class PgCron {

    /**
     * pg_cron 1.4 schedules by the minute: a run starts at the next minute boundary, and on a busy machine its worker
     * may take a while longer.
     */
    private static final Duration RUN_WITHIN = Duration.ofMinutes(3);

    private PgCron() {
    }

    /** A connection to the cron database, once pg_cron is known to be usable there (skips or fails otherwise). */
    static Connection cronDatabase() throws SQLException {
        Connection c = PostgresServer.connect(PostgresServer.shared());
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_cron')
                   AND current_setting('cron.database_name', true) = current_database()""")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                c.close();
                String why = "pg_cron is not installed or not preloaded on the test server, or its cron.database_name "
                        + "is not the server's admin database";
                String ci = System.getenv("CI");
                // CI's own server (PG_ADMIN_URL, .ci/postgres.sh) has it; the embedded one, which .ci/run also uses,
                // never does
                if (ci != null && !ci.isBlank() && System.getenv("PG_ADMIN_URL") != null) {
                    fail(why + ": CI's server must have it (see .ci/postgres.sh)");
                }
                Assumptions.abort("skipped: " + why);
            }
            st.execute("CREATE EXTENSION IF NOT EXISTS pg_cron");
        }
        return c;
    }

    /** A scheduled job, as the migrations leave it in cron.job. */
    record Job(String schedule, String command, boolean asTheMigrator, boolean canLogIn) {
    }

    /**
     * The recordings jobs the migrations schedule where pg_cron exists, by name: V2 then V5 (the others have nothing to
     * schedule) run on the cron database in a transaction that is rolled back.
     */
    static Map<String, Job> scheduledByTheMigrations() throws Exception {
        try (Connection c = cronDatabase(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                st.execute("CREATE SCHEMA IF NOT EXISTS recordings");
                st.execute("SET LOCAL check_function_bodies = off"); // recordings.recordings is not in this database
                st.execute(resource("db/recordings/V2__jobs.sql"));
                st.execute(resource("db/recordings/V5__pg_cron_reconciles_with_the_settings_table.sql"));
                Map<String, Job> jobs = new LinkedHashMap<>();
                try (ResultSet rs = st.executeQuery("""
                        SELECT j.jobname, j.schedule, j.command, j.username = session_user, r.rolcanlogin
                        FROM cron.job j JOIN pg_roles r ON r.rolname = j.username
                        WHERE j.jobname IN ('reconcile-stale-recordings', 'purge-expired-recordings')""")) {
                    while (rs.next()) {
                        jobs.put(rs.getString(1),
                                new Job(rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getBoolean(5)));
                    }
                }
                return jobs;
            } finally {
                c.rollback();
            }
        }
    }

    /**
     * Has pg_cron run {@code command} once in {@code database} (as the admin login) and waits for the run to end;
     * returns its outcome: {@code succeeded} or {@code failed}, then pg_cron's return message.
     */
    static String runOnce(String database, String command) throws Exception {
        try (Connection c = cronDatabase()) {
            long job;
            try (PreparedStatement ps = c.prepareStatement("SELECT cron.schedule_in_database(?, '* * * * *', ?, ?)")) {
                ps.setString(1, "huddle-test-" + UUID.randomUUID());
                ps.setString(2, command);
                ps.setString(3, database);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    job = rs.getLong(1);
                }
            }
            try {
                AtomicReference<String> outcome = new AtomicReference<>();
                Awaitility.await("a pg_cron run of job " + job).atMost(RUN_WITHIN).pollInterval(Duration.ofSeconds(1))
                        .until(() -> {
                            outcome.set(outcome(c, job));
                            return outcome.get() != null;
                        });
                return outcome.get();
            } finally {
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT cron.unschedule(" + job + ")");
                    st.execute("DELETE FROM cron.job_run_details WHERE jobid = " + job);
                }
            }
        }
    }

    private static String outcome(Connection c, long job) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT status || ' ' || coalesce(return_message, '') FROM cron.job_run_details
                WHERE jobid = %d AND status IN ('succeeded', 'failed') LIMIT 1""".formatted(job))) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
