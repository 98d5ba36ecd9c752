package dev.huddle.recordings.jobs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.huddle.testing.PostgresServer;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The in-service path (no pg_cron in the test database): each run calls the V2 SQL functions, which do what they
 * promise. And, where the server has pg_cron, the V2 migration schedules both jobs with it.
 */
@QuarkusTest
class RecordingJobsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    RecordingJobs jobs;

    @Test
    void theTestDatabaseHasNoPgCronSoTheServiceRunsTheJobs() {
        assertThat(jobs.pgCronPresent().await().atMost(WAIT), is(false));
        assertThat(jobs.reconcileStale().await().atMost(WAIT).ran(), is(true));
        assertThat(jobs.purgeExpired().await().atMost(WAIT).ran(), is(true));
    }

    @Test
    void aRecordingStuckInFinalizingIsFailedWithTheReason() {
        UUID org = Tenants.org("Stale");
        UUID stuck = insert(org, "finalizing", Duration.ofHours(2), Duration.ofHours(2), null);
        UUID recent = insert(org, "finalizing", Duration.ofMinutes(40), Duration.ofMinutes(5), null);
        UUID recording = insert(org, "recording", Duration.ofHours(2), Duration.ofHours(2), null);

        RecordingJobs.Result result = jobs.reconcileStale().await().atMost(WAIT);

        assertThat(result.ran(), is(true));
        assertThat(status(stuck), is("failed"));
        assertThat((String) TestDatabase.value("SELECT error FROM recordings.recordings WHERE id = ?", stuck),
                containsString("no egress_ended"));
        assertThat(status(recent), is("finalizing"));
        assertThat(status(recording), is("recording"));
    }

    @Test
    void expiredRecordingsAreDeletedAndTheirObjectsQueuedByOrgRetention() {
        UUID defaults = Tenants.org("NinetyDays");
        UUID shortRetention = Tenants.org("SevenDays");
        TestDatabase.sql("INSERT INTO recordings.org_settings (org_id, retention_days) VALUES (?, 7)", shortRetention);
        UUID old = insert(defaults, "ready", Duration.ofDays(91), Duration.ofDays(91), "s3://b/old.mp4");
        UUID oldFailed = insert(defaults, "failed", Duration.ofDays(100), Duration.ofDays(100), null);
        UUID young = insert(defaults, "ready", Duration.ofDays(30), Duration.ofDays(30), "s3://b/young.mp4");
        UUID weekOld = insert(shortRetention, "ready", Duration.ofDays(8), Duration.ofDays(8), "s3://b/week.mp4");
        UUID fresh = insert(shortRetention, "ready", Duration.ofDays(2), Duration.ofDays(2), "s3://b/fresh.mp4");

        RecordingJobs.Result result = jobs.purgeExpired().await().atMost(WAIT);

        assertThat(result.ran(), is(true));
        assertThat(exists(old), is(false));
        assertThat(exists(oldFailed), is(false));
        assertThat(exists(weekOld), is(false));
        assertThat(exists(young), is(true));
        assertThat(exists(fresh), is(true));
        List<Object> queued = TestDatabase.sql("""
                SELECT location FROM recordings.storage_deletions WHERE recording_id IN (?, ?, ?, ?, ?)
                AND reason = 'expired'""", old, oldFailed, young, weekOld, fresh)
                .stream().map(r -> r.get("location")).toList();
        assertThat(queued, containsInAnyOrder("s3://b/old.mp4", "s3://b/week.mp4"));
    }

    /**
     * pg_cron can be created only in the database named by cron.database_name (CI: postgres), so this runs the V2
     * migration there, in a transaction it rolls back: nothing stays in that shared database.
     */
    @Test
    void whereTheDatabaseHasPgCronTheMigrationSchedulesBothJobs() throws Exception {
        try (Connection c = PostgresServer.connect(PostgresServer.shared()); Statement st = c.createStatement()) {
            boolean usable;
            try (ResultSet rs = st.executeQuery("""
                    SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_cron')
                       AND current_setting('cron.database_name', true) = current_database()""")) {
                rs.next();
                usable = rs.getBoolean(1);
            }
            Assumptions.assumeTrue(usable, "skipped: pg_cron is not installed or not preloaded on this server, or "
                    + "its cron.database_name is not the server's admin database");
            c.setAutoCommit(false);
            try {
                st.execute("CREATE EXTENSION IF NOT EXISTS pg_cron");
                st.execute("CREATE SCHEMA IF NOT EXISTS recordings");
                st.execute("SET LOCAL check_function_bodies = off"); // recordings.recordings is not in this database
                st.execute(resource("db/recordings/V2__jobs.sql"));
                List<String> names = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT jobname, schedule, command FROM cron.job "
                        + "WHERE jobname IN ('reconcile-stale-recordings', 'purge-expired-recordings')")) {
                    while (rs.next()) {
                        names.add(rs.getString(1) + " " + rs.getString(2));
                    }
                }
                assertThat(names, containsInAnyOrder("reconcile-stale-recordings */5 * * * *",
                        "purge-expired-recordings 17 3 * * *"));
            } finally {
                c.rollback();
            }
        }
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static UUID insert(UUID org, String status, Duration createdAgo, Duration updatedAgo, String location) {
        return (UUID) TestDatabase.value("""
                INSERT INTO recordings.recordings (org_id, egress_id, status, location, created_at, updated_at)
                VALUES (?, ?, ?, ?, now() - make_interval(secs => ?), now() - make_interval(secs => ?))
                RETURNING id""", org, "EG_" + UUID.randomUUID(), status, location,
                (double) createdAgo.toSeconds(), (double) updatedAgo.toSeconds());
    }

    private static String status(UUID id) {
        return (String) TestDatabase.value("SELECT status FROM recordings.recordings WHERE id = ?", id);
    }

    private static boolean exists(UUID id) {
        List<Map<String, Object>> rows = TestDatabase.sql("SELECT 1 FROM recordings.recordings WHERE id = ?", id);
        return !rows.isEmpty();
    }
}
