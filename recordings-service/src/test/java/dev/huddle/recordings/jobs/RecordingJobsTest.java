package dev.huddle.recordings.jobs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
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
import io.vertx.core.json.JsonObject;

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

    /**
     * The SQL function as the pg_cron job runs it: switched to recordings_owner. It fails what is stuck and
     * announces it exactly as the webhooks do, which also proves recordings_owner's grant on the outbox.
     */
    @Test
    void theSqlFunctionRunAsTheOwnerFailsRecordingsStuckInFinalizingAndAnnouncesThem() throws Exception {
        UUID org = Tenants.org("Stale");
        UUID room = Tenants.room(org, "R");
        UUID stuck = insert(org, room, "finalizing", Duration.ofHours(2), Duration.ofHours(2), null);
        UUID recent = insert(org, null, "finalizing", Duration.ofMinutes(40), Duration.ofMinutes(5), null);
        UUID recording = insert(org, null, "recording", Duration.ofHours(2), Duration.ofHours(2), null);

        int failed = asOwner("SELECT recordings.reconcile_stale_recordings(interval '30 minutes')");

        assertThat(failed >= 1, is(true));
        assertThat(status(stuck), is("failed"));
        assertThat((String) TestDatabase.value("SELECT error FROM recordings.recordings WHERE id = ?", stuck),
                containsString("no egress_ended"));
        assertThat(status(recent), is("finalizing"));
        assertThat(status(recording), is("recording"));
        Map<String, Object> event = event(stuck, "recording.updated");
        assertThat(event.get("channel"), is("org:" + org));
        JsonObject payload = new JsonObject(event.get("payload").toString());
        assertThat(payload.getJsonObject("data"), is(new JsonObject().put("recordingId", stuck.toString())
                .put("roomId", room.toString()).put("status", "failed")));
        assertEnvelope(payload, (String) event.get("idempotency_key"));
        assertThat(count("SELECT count(*) FROM realtime.outbox WHERE payload->'data'->>'recordingId' = ?", recent),
                is(0L));
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
        // each deletion announced on the org's channel, like an admin's delete
        for (UUID gone : List.of(old, oldFailed)) {
            Map<String, Object> event = event(gone, "recording.deleted");
            assertThat(event.get("channel"), is("org:" + defaults));
            assertEnvelope(new JsonObject(event.get("payload").toString()), (String) event.get("idempotency_key"));
        }
        assertThat(event(weekOld, "recording.deleted").get("channel"), is("org:" + shortRetention));
        assertThat(count("SELECT count(*) FROM realtime.outbox WHERE payload->'data'->>'recordingId' = ?", young),
                is(0L));
    }

    @Test
    void purgeRunAsTheOwnerQueuesTheObjectKeyAndAnnounces() throws Exception {
        UUID org = Tenants.org("OwnerPurge");
        UUID old = (UUID) TestDatabase.value("""
                INSERT INTO recordings.recordings (org_id, egress_id, status, location, object_key, created_at)
                VALUES (?, ?, 'ready', 'https://b.s3.amazonaws.com/rec/x.mp4', 'rec/x.mp4', now() - interval '100 days')
                RETURNING id""", org, "EG_" + UUID.randomUUID());

        assertThat(asOwner("SELECT recordings.purge_expired_recordings()") >= 1, is(true));

        Map<String, Object> queued = TestDatabase.sql(
                "SELECT object_key, location, reason FROM recordings.storage_deletions WHERE recording_id = ?", old)
                .get(0);
        assertThat(queued.get("object_key"), is("rec/x.mp4"));
        assertThat(queued.get("reason"), is("expired"));
        assertThat(event(old, "recording.deleted").get("channel"), is("org:" + org));
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
                // pg_cron runs a job as its username, which must be able to log in; each run switches to the owner
                try (ResultSet rs = st.executeQuery("""
                        SELECT j.command, r.rolcanlogin, j.username = session_user AS migrator
                        FROM cron.job j JOIN pg_roles r ON r.rolname = j.username
                        WHERE j.jobname IN ('reconcile-stale-recordings', 'purge-expired-recordings')""")) {
                    int jobs = 0;
                    while (rs.next()) {
                        jobs++;
                        assertThat(rs.getString(1), startsWith("SET ROLE recordings_owner; SELECT recordings."));
                        assertThat(rs.getBoolean(2), is(true));
                        assertThat(rs.getBoolean(3), is(true));
                    }
                    assertThat(jobs, is(2));
                }
            } finally {
                c.rollback();
            }
        }
    }

    /**
     * What the scheduled jobs rely on, for real: pg_cron starts a job of the migrator's login and the job may switch to
     * recordings_owner. A probe job runs every minute in the cron database until one run is recorded (up to ~70 s),
     * then it is removed.
     */
    @Test
    void aPgCronJobOfTheMigratorRunsAndMaySwitchToTheOwner() throws Exception {
        try (Connection c = PostgresServer.connect(PostgresServer.shared()); Statement st = c.createStatement()) {
            boolean usable;
            try (ResultSet rs = st.executeQuery("""
                    SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_cron')
                       AND current_setting('cron.database_name', true) = current_database()""")) {
                rs.next();
                usable = rs.getBoolean(1);
            }
            Assumptions.assumeTrue(usable, "skipped: pg_cron is not installed or not preloaded on this server");
            st.execute("CREATE EXTENSION IF NOT EXISTS pg_cron");
            String name = "huddle-probe-" + UUID.randomUUID();
            long job;
            try (ResultSet rs = st.executeQuery("SELECT cron.schedule('" + name + "', '* * * * *', "
                    + "$job$SET ROLE recordings_owner; SELECT 1$job$)")) {
                rs.next();
                job = rs.getLong(1);
            }
            try {
                String outcome = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(75).toNanos();
                while (outcome == null && System.nanoTime() < deadline) {
                    Thread.sleep(1_000);
                    try (ResultSet rs = st.executeQuery("SELECT status || ' ' || coalesce(return_message, '') "
                            + "FROM cron.job_run_details WHERE jobid = " + job
                            + " AND status IN ('succeeded', 'failed') LIMIT 1")) {
                        outcome = rs.next() ? rs.getString(1) : null;
                    }
                }
                assertThat("a run of the probe job within 75 s", outcome, startsWith("succeeded"));
            } finally {
                st.execute("SELECT cron.unschedule(" + job + ")");
                st.execute("DELETE FROM cron.job_run_details WHERE jobid = " + job);
            }
        }
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static UUID insert(UUID org, String status, Duration createdAgo, Duration updatedAgo, String location) {
        return insert(org, null, status, createdAgo, updatedAgo, location);
    }

    private static UUID insert(UUID org, UUID room, String status, Duration createdAgo, Duration updatedAgo,
            String location) {
        return (UUID) TestDatabase.value("""
                INSERT INTO recordings.recordings (org_id, room_id, egress_id, status, location, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, now() - make_interval(secs => ?), now() - make_interval(secs => ?))
                RETURNING id""", org, room, "EG_" + UUID.randomUUID(), status, location,
                (double) createdAgo.toSeconds(), (double) updatedAgo.toSeconds());
    }

    /** Runs a job function as the pg_cron job does: switched to recordings_owner. */
    private static int asOwner(String sql) throws Exception {
        try (Connection c = TestDatabase.admin(); Statement st = c.createStatement()) {
            st.execute("SET ROLE recordings_owner");
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The one event of {@code type} about a recording. */
    private static Map<String, Object> event(UUID recordingId, String type) {
        List<Map<String, Object>> rows = TestDatabase.sql("""
                SELECT channel, payload::text AS payload, idempotency_key FROM realtime.outbox
                WHERE payload->>'type' = ? AND payload->'data'->>'recordingId' = ?""", type, recordingId.toString());
        assertThat(rows.size(), is(1));
        return rows.get(0);
    }

    /** The envelope OutboxWriter writes: type, version 1, id (also the idempotency key), occurredAt, data. */
    private static void assertEnvelope(JsonObject payload, String idempotencyKey) {
        assertThat(payload.fieldNames(), containsInAnyOrder("type", "version", "id", "occurredAt", "data"));
        assertThat(payload.getInteger("version"), is(1));
        assertThat(payload.getString("id"), is(idempotencyKey));
        assertThat(UUID.fromString(payload.getString("id")).toString(), is(idempotencyKey));
        OffsetDateTime.parse(payload.getString("occurredAt"));
    }

    private static long count(String sql, Object... params) {
        Object[] strings = java.util.Arrays.stream(params).map(Object::toString).toArray();
        return (Long) TestDatabase.value(sql, strings);
    }

    private static String status(UUID id) {
        return (String) TestDatabase.value("SELECT status FROM recordings.recordings WHERE id = ?", id);
    }

    private static boolean exists(UUID id) {
        List<Map<String, Object>> rows = TestDatabase.sql("SELECT 1 FROM recordings.recordings WHERE id = ?", id);
        return !rows.isEmpty();
    }
}
