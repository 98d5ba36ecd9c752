package dev.huddle.recordings.storage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.huddle.recordings.jobs.RecordingJobs;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The storage deletion queue against a real S3-compatible server (S3Proxy in the test JVM): a row goes only once its
 * object is, and a storage outage only delays. The worker is driven by hand ({@link StorageDeletionWorker#drain});
 * each test first parks the queue rows other tests left, so a round claims only its own.
 */
@QuarkusTest
class StorageDeletionTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    StorageDeletionWorker worker;

    @Inject
    RecordingJobs jobs;

    @AfterEach
    void storageIsBack() {
        S3TestResource.up();
    }

    @Test
    void purgeWithStorageDownThenUpLeavesNeitherObjectsNorRows() {
        UUID org = Tenants.org("Outage");
        String keyA = "recordings/" + UUID.randomUUID() + "/a.mp4";
        String keyB = "recordings/" + UUID.randomUUID() + "/b.mp4";
        String keyYoung = "recordings/" + UUID.randomUUID() + "/young.mp4";
        put(keyA);
        put(keyB);
        put(keyYoung);
        // one with the key egress reported, one with only the URL egress derives from it (virtual-hosted AWS form)
        UUID a = recording(org, 100, null, keyA);
        UUID b = recording(org, 100, "https://" + S3TestResource.BUCKET + ".s3.amazonaws.com/" + keyB, null);
        UUID young = recording(org, 10, null, keyYoung);

        S3TestResource.down();
        assertThat(jobs.purgeExpired().await().atMost(WAIT).ran(), is(true));
        assertThat(queued(a) + queued(b), is(2L));
        assertThat(queued(young), is(0L));
        parkAllBut(a, b);

        StorageDeletionWorker.Round down = worker.drain().await().atMost(WAIT);

        // the first attempt found storage unreachable: recorded, and the other row put back untouched
        assertThat(down.ran(), is(true));
        assertThat(down.deleted(), is(0));
        assertThat(down.failed(), is(1));
        assertThat(down.released(), is(1));
        Map<String, Object> failed = row(a);
        assertThat(failed.get("attempts"), is(1));
        assertThat((String) failed.get("last_error"), notNullValue());
        assertThat((Boolean) failed.get("waits"), is(true));
        assertThat(row(b).get("attempts"), is(0));
        assertThat((Boolean) row(b).get("waits"), is(false));
        // a second round while still down loses nothing either
        assertThat(worker.drain().await().atMost(WAIT).ran(), is(true));
        assertThat(queued(a) + queued(b), is(2L));
        assertThat(exists(keyA) && exists(keyB), is(true));

        S3TestResource.up();
        dueNow(a, b); // their backoff has run out
        StorageDeletionWorker.Round up = worker.drain().await().atMost(WAIT);

        assertThat(up.deleted(), is(2));
        assertThat(exists(keyA), is(false));
        assertThat(exists(keyB), is(false));
        assertThat(queued(a) + queued(b), is(0L));
        // nothing else was touched
        assertThat(exists(keyYoung), is(true));
        assertThat(TestDatabase.value("SELECT count(*) FROM recordings.recordings WHERE id = ?", young), is(1L));
    }

    @Test
    void anObjectThatIsAlreadyGoneStillRemovesItsRow() {
        UUID org = Tenants.org("AlreadyGone");
        UUID id = recording(org, 100, null, "recordings/" + UUID.randomUUID() + "/never-uploaded.mp4");
        jobs.purgeExpired().await().atMost(WAIT);
        assertThat(queued(id), is(1L));
        parkAllBut(id);

        StorageDeletionWorker.Round round = worker.drain().await().atMost(WAIT);

        assertThat(round.deleted(), is(1));
        assertThat(queued(id), is(0L));
    }

    @Test
    void anAdminDeleteEventuallyDeletesTheObject() {
        UUID org = Tenants.org("AdminDeletes");
        String key = "recordings/" + UUID.randomUUID() + "/deleted.mp4";
        put(key);
        UUID id = recording(org, 1, "https://" + S3TestResource.BUCKET + ".s3.amazonaws.com/" + key, key);

        given().auth().oauth2(Tenants.memberOf(org, "admin").token())
                .when().delete("/v1/recordings/orgs/{orgId}/recordings/{id}", org, id).then().statusCode(204);
        assertThat(exists(key), is(true));
        assertThat(queued(id), is(1L));
        parkAllBut(id);

        worker.drain().await().atMost(WAIT);

        assertThat(exists(key), is(false));
        assertThat(queued(id), is(0L));
    }

    @Test
    void aRowWhoseKeyCannotBeToldWaitsWithTheReasonAndIsNotLost() {
        UUID org = Tenants.org("OtherBucket");
        String key = "recordings/" + UUID.randomUUID() + "/elsewhere.mp4";
        put(key); // same key in our bucket: it must not be deleted on a guess
        UUID id = recording(org, 100, "s3://some-other-bucket/" + key, null);
        jobs.purgeExpired().await().atMost(WAIT);
        parkAllBut(id);

        StorageDeletionWorker.Round round = worker.drain().await().atMost(WAIT);

        assertThat(round.failed(), is(1));
        Map<String, Object> row = row(id);
        assertThat(row.get("attempts"), is(1));
        assertThat((String) row.get("last_error"), containsString("cannot tell the object's key"));
        assertThat((Boolean) row.get("waits"), is(true));
        assertThat(exists(key), is(true));
    }

    @Test
    void theQueueDepthAndFailuresAreMetrics() {
        UUID org = Tenants.org("Metered");
        UUID id = recording(org, 100, null, "recordings/" + UUID.randomUUID() + "/m.mp4");
        jobs.purgeExpired().await().atMost(WAIT);
        parkAllBut(id);
        S3TestResource.down();
        worker.drain().await().atMost(WAIT);

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics, containsString("recordings_storage_deletions_depth"));
        assertThat(metrics, containsString("recordings_storage_deletions_oldest_seconds"));
        double unreachable = metric(metrics, "recordings_storage_deletions_failures_total{reason=\"unreachable\"");
        assertThat(unreachable, greaterThan(0.0));
        double depth = metric(metrics, "recordings_storage_deletions_depth");
        assertThat(depth, greaterThan(0.0));
    }

    @Test
    void retriesBackOffExponentiallyUpToTheMaximum() {
        // defaults: 30 s doubled each attempt, at most an hour
        assertThat(worker.backoff(0), is(Duration.ofSeconds(30)));
        assertThat(worker.backoff(1), is(Duration.ofSeconds(60)));
        assertThat(worker.backoff(3), is(Duration.ofSeconds(240)));
        assertThat(worker.backoff(7), is(Duration.ofHours(1)));
        assertThat(worker.backoff(400), is(Duration.ofHours(1)));
    }

    static void put(String key) {
        var blobs = S3TestResource.blobs();
        blobs.putBlob(S3TestResource.BUCKET, blobs.blobBuilder(key)
                .payload(("recording " + key).getBytes(StandardCharsets.UTF_8)).contentType("video/mp4").build());
    }

    static boolean exists(String key) {
        return S3TestResource.blobs().blobExists(S3TestResource.BUCKET, key);
    }

    /** A ready recording created {@code daysAgo}, stored at {@code location} and/or {@code objectKey}. */
    static UUID recording(UUID org, int daysAgo, String location, String objectKey) {
        return (UUID) TestDatabase.value("""
                INSERT INTO recordings.recordings (org_id, egress_id, status, location, object_key, created_at)
                VALUES (?, ?, 'ready', ?, ?, now() - make_interval(days => ?)) RETURNING id""",
                org, "EG_" + UUID.randomUUID(), location, objectKey, daysAgo);
    }

    private static long queued(UUID recordingId) {
        return (Long) TestDatabase.value("SELECT count(*) FROM recordings.storage_deletions WHERE recording_id = ?",
                recordingId);
    }

    private static Map<String, Object> row(UUID recordingId) {
        List<Map<String, Object>> rows = TestDatabase.sql("""
                SELECT attempts, last_error, next_attempt_at > now() AS waits
                FROM recordings.storage_deletions WHERE recording_id = ?""", recordingId);
        assertThat(rows.size(), is(1));
        return rows.get(0);
    }

    /** Rows other tests queued wait a day, so that a round here claims only this test's rows. */
    private static void parkAllBut(UUID... recordingIds) {
        TestDatabase.sql("""
                UPDATE recordings.storage_deletions SET next_attempt_at = now() + interval '1 day'
                WHERE NOT (recording_id = ANY (?::uuid[]))""", uuids(recordingIds));
        dueNow(recordingIds);
    }

    private static void dueNow(UUID... recordingIds) {
        TestDatabase.sql("UPDATE recordings.storage_deletions SET next_attempt_at = now() "
                + "WHERE recording_id = ANY (?::uuid[])", uuids(recordingIds));
    }

    private static String uuids(UUID... ids) {
        return "{" + String.join(",", java.util.Arrays.stream(ids).map(UUID::toString).toList()) + "}";
    }

    private static double metric(String exposition, String prefix) {
        return exposition.lines().filter(line -> line.startsWith(prefix)).findFirst()
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .orElseThrow(() -> new AssertionError("no metric " + prefix));
    }
}
