package dev.huddle.recordings.jobs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * The in-service path (no pg_cron in the test database): each run calls the SQL functions, which do what they
 * promise, whatever the caller's search_path. And, where the server has pg_cron, the migrations schedule both jobs
 * with it.
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
     * The SQL function as the pg_cron job runs it: switched to recordings_owner, with the settings of
     * recordings.job_settings (the defaults, written at start-up: 30 minutes, 24 hours). It marks what is stale and
     * fails only what passed the hard limit, announcing that exactly as the webhooks do (which also proves
     * recordings_owner's grant on the outbox).
     */
    @Test
    void theSqlFunctionRunAsTheOwnerMarksStaleRecordingsAndFailsOnlyThosePastTheHardLimit() throws Exception {
        UUID org = Tenants.org("Stale");
        UUID room = Tenants.room(org, "R");
        UUID pastLimit = insert(org, room, "finalizing", Duration.ofHours(26), Duration.ofHours(25), null);
        UUID stale = insert(org, null, "finalizing", Duration.ofHours(2), Duration.ofHours(2), null);
        UUID recent = insert(org, null, "finalizing", Duration.ofMinutes(40), Duration.ofMinutes(5), null);
        UUID recording = insert(org, null, "recording", Duration.ofHours(30), Duration.ofHours(30), null);

        int changed = asOwner("SELECT recordings.reconcile_stale_recordings()");

        assertThat(changed >= 2, is(true));
        Map<String, Object> failed = TestDatabase.sql("""
                SELECT status, error, failed_by_reconciliation, stale_since FROM recordings.recordings WHERE id = ?""",
                pastLimit).get(0);
        assertThat(failed.get("status"), is("failed"));
        assertThat((String) failed.get("error"), containsString("no egress_ended from LiveKit within 24:00:00"));
        assertThat(failed.get("failed_by_reconciliation"), is(true));
        assertThat(failed.get("stale_since"), is(nullValue()));
        assertThat(status(stale), is("finalizing"));
        assertThat(marked(stale), is(true));
        assertThat(status(recent), is("finalizing"));
        assertThat(marked(recent), is(false));
        assertThat(status(recording), is("recording"));
        Map<String, Object> event = event(pastLimit, "recording.updated");
        assertThat(event.get("channel"), is("org:" + org));
        JsonObject payload = new JsonObject(event.get("payload").toString());
        assertThat(payload.getJsonObject("data"), is(new JsonObject().put("recordingId", pastLimit.toString())
                .put("roomId", room.toString()).put("status", "failed")));
        assertEnvelope(payload, (String) event.get("idempotency_key"));
        for (UUID unchanged : List.of(stale, recent)) {
            assertThat(count("SELECT count(*) FROM realtime.outbox WHERE payload->'data'->>'recordingId' = ?",
                    unchanged), is(0L));
        }
    }

    /** #12: pg_cron runs the functions with its worker's search_path, so each one pins its own. */
    @Test
    void everyRecordingsFunctionPinsItsSearchPath() {
        List<Map<String, Object>> functions = TestDatabase.sql("""
                SELECT p.oid::regprocedure::text AS signature, array_to_string(p.proconfig, ';') AS config
                FROM pg_proc p WHERE p.pronamespace = 'recordings'::regnamespace ORDER BY 1""");
        assertThat(functions.stream().map(f -> f.get("signature")).toList(), contains(
                "recordings.announce(text,text,jsonb)", "recordings.purge_expired_recordings()",
                "recordings.reconcile_stale_recordings()"));
        for (Map<String, Object> f : functions) {
            assertThat(f.get("signature") + " pins search_path", f.get("config"),
                    is("search_path=pg_catalog, pg_temp"));
        }
    }

    /**
     * Called with a search_path that puts a hostile schema first (its now() says the year 3000), the functions still
     * use PostgreSQL's own: a recording finalizing for 5 minutes is neither marked nor failed, nor purged.
     */
    @Test
    void theFunctionsIgnoreTheCallersSearchPath() throws Exception {
        UUID org = Tenants.org("Pinned");
        UUID fresh = insert(org, null, "finalizing", Duration.ofMinutes(5), Duration.ofMinutes(5), null);
        UUID stale = insert(org, null, "finalizing", Duration.ofMinutes(40), Duration.ofMinutes(40), null);
        TestDatabase.sql("""
                CREATE SCHEMA IF NOT EXISTS hostile;
                GRANT USAGE ON SCHEMA hostile TO PUBLIC;
                CREATE OR REPLACE FUNCTION hostile.now() RETURNS timestamptz LANGUAGE sql
                AS $$ SELECT timestamptz '3000-01-01 00:00:00+00' $$;
                GRANT EXECUTE ON FUNCTION hostile.now() TO PUBLIC""");
        try (Connection c = TestDatabase.admin(); Statement st = c.createStatement()) {
            st.execute("SET ROLE recordings_owner");
            st.execute("SET search_path = hostile, pg_catalog, public");
            try (ResultSet rs = st.executeQuery("SELECT now() > timestamptz '2999-01-01'")) {
                rs.next();
                assertThat("the hostile now() is what an unqualified call gets", rs.getBoolean(1), is(true));
            }
            st.execute("SELECT recordings.reconcile_stale_recordings()");
            st.execute("SELECT recordings.purge_expired_recordings()");
        }

        assertThat(status(fresh), is("finalizing"));
        assertThat(marked(fresh), is(false));
        assertThat(status(stale), is("finalizing"));
        assertThat(marked(stale), is(true));
        assertThat(exists(fresh), is(true));
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
     * #17: the purge finds its rows through recordings_org_created_idx, org by org (a skip scan over the orgs, then
     * each org's range older than its own retention), never by reading the whole table. Its plan, logged by
     * auto_explain for the statement inside the function, on 20,000 recordings of 50 orgs, one of them with a 7-day
     * retention; and it deletes exactly what the retention says.
     */
    @Test
    void thePurgeReadsEachOrgsExpiredRecordingsFromTheIndex() throws Exception {
        String batch = UUID.randomUUID().toString();
        UUID shortRetention = (UUID) TestDatabase.value("SELECT md5(? || '-0')::uuid", batch);
        TestDatabase.sql("INSERT INTO recordings.org_settings (org_id, retention_days) VALUES (?, 7)", shortRetention);
        // 50 orgs of 400 recordings each: 4 created 100 days ago, 4 created 8 days ago, the rest 2 days ago
        TestDatabase.sql("""
                INSERT INTO recordings.recordings (org_id, egress_id, status, created_at)
                SELECT md5(? || '-' || (i / 400))::uuid, 'EG_plan_' || ? || '_' || i, 'ready',
                       now() - CASE WHEN i % 100 = 0 THEN interval '100 days'
                                    WHEN i % 100 = 1 THEN interval '8 days' ELSE interval '2 days' END
                FROM generate_series(0, 19999) i""", batch, batch);
        TestDatabase.sql("ANALYZE recordings.recordings");

        String plan;
        try (Connection c = TestDatabase.admin(); Statement st = c.createStatement()) {
            st.execute("LOAD 'auto_explain'");
            st.execute("SET auto_explain.log_min_duration = 0");
            st.execute("SET auto_explain.log_nested_statements = on");
            st.execute("SET auto_explain.log_level = notice");
            st.execute("SET ROLE recordings_owner");
            st.execute("SELECT recordings.purge_expired_recordings()");
            StringBuilder notices = new StringBuilder();
            for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
                notices.append(w.getMessage()).append('\n');
            }
            plan = notices.toString();
        }

        assertThat(plan, containsString("Delete on recordings rec"));
        // the planner picks a plain, index-only or bitmap scan by the figures; any reads only the org's range
        assertThat(plan, Pattern.compile("Index (Only )?Scan (using|on) recordings_org_created_idx[^\\n]*\\n\\s*"
                + "(Recheck |Index )Cond: \\(\\(org_id = o(_\\d+)?\\.org_id\\) AND \\(created_at < ").matcher(plan).find(),
                is(true));
        assertThat(plan, Pattern.compile("Index (Only )?Scan (using|on) recordings_pkey").matcher(plan).find(), is(true));
        assertThat(plan, not(containsString("Seq Scan on recordings ")));
        // 7-day org: its 100- and 8-day-old recordings went; 90-day orgs: their 100-day-old ones only
        assertThat(count("SELECT count(*) FROM recordings.recordings WHERE egress_id LIKE ?", "EG_plan_" + batch + "_%"),
                is(20_000L - 8 - 49 * 4));
        assertThat(count("SELECT count(*) FROM recordings.recordings WHERE org_id = ?::uuid", shortRetention),
                is(400L - 8));
    }

    /**
     * Where the database has pg_cron, the migrations schedule both jobs with it (V2, and V5 for the settings-reading
     * reconciliation), as the migrator's login (pg_cron runs a job as its username, which must be able to log in),
     * each run switching to the owner.
     */
    @Test
    void whereTheDatabaseHasPgCronTheMigrationsScheduleBothJobs() throws Exception {
        Map<String, PgCron.Job> scheduled = PgCron.scheduledByTheMigrations();

        assertThat(scheduled.keySet(), containsInAnyOrder("reconcile-stale-recordings", "purge-expired-recordings"));
        assertThat(scheduled.get("reconcile-stale-recordings"), is(new PgCron.Job("*/5 * * * *",
                "SET ROLE recordings_owner; SELECT recordings.reconcile_stale_recordings()", true, true)));
        assertThat(scheduled.get("purge-expired-recordings"), is(new PgCron.Job("17 3 * * *",
                "SET ROLE recordings_owner; SELECT recordings.purge_expired_recordings()", true, true)));
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

    private static boolean marked(UUID id) {
        return (Boolean) TestDatabase.value("SELECT stale_since IS NOT NULL FROM recordings.recordings WHERE id = ?",
                id);
    }

    private static boolean exists(UUID id) {
        List<Map<String, Object>> rows = TestDatabase.sql("SELECT 1 FROM recordings.recordings WHERE id = ?", id);
        return !rows.isEmpty();
    }
}
