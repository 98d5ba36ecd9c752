package dev.huddle.recordings;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.huddle.recordings.egress.EgressFixtures;
import dev.huddle.recordings.jobs.RecordingJobs;
import dev.huddle.recordings.storage.StorageDeletionWorker;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** What still works, and what waits, on a server without LiveKit and without storage. */
@QuarkusTest
@TestProfile(WithoutOutsideServices.class)
class WithoutOutsideServicesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    RecordingJobs jobs;

    @Inject
    StorageDeletionWorker worker;

    @Test
    void withoutLiveKitStaleRecordingsAreFailedOnlyPastTheHardLimitAndAnnounced() {
        UUID org = Tenants.org("NoLiveKit");
        UUID stale = (UUID) TestDatabase.value("""
                INSERT INTO recordings.recordings (org_id, egress_id, status, updated_at)
                VALUES (?, ?, 'finalizing', now() - interval '2 hours') RETURNING id""", org, EgressFixtures.egressId());
        UUID stuck = (UUID) TestDatabase.value("""
                INSERT INTO recordings.recordings (org_id, egress_id, status, updated_at)
                VALUES (?, ?, 'finalizing', now() - interval '25 hours') RETURNING id""", org, EgressFixtures.egressId());

        assertThat(jobs.reconcileStale().await().atMost(WAIT).ran(), is(true));

        // nobody can ask LiveKit: a stale recording waits (it may well complete), until give-up-after (24 h)
        assertThat(TestDatabase.value("SELECT status FROM recordings.recordings WHERE id = ?", stale), is("finalizing"));
        assertThat(EgressFixtures.announced(stale), empty());
        assertThat(TestDatabase.value("SELECT status FROM recordings.recordings WHERE id = ?", stuck), is("failed"));
        assertThat(EgressFixtures.announced(stuck), contains("org:" + org + " failed"));
    }

    @Test
    void withoutStorageQueuedObjectsWaitAndDownloadUrlsAre503() {
        UUID org = Tenants.org("NoStorage");
        UUID expired = (UUID) TestDatabase.value("""
                INSERT INTO recordings.recordings (org_id, egress_id, status, object_key, created_at)
                VALUES (?, ?, 'ready', 'recordings/waits.mp4', now() - interval '100 days') RETURNING id""", org,
                EgressFixtures.egressId());
        jobs.purgeExpired().await().atMost(WAIT);
        TestDatabase.sql("UPDATE recordings.storage_deletions SET next_attempt_at = now() WHERE recording_id = ?",
                expired);

        StorageDeletionWorker.Round round = worker.drain().await().atMost(WAIT);

        assertThat(round.ran(), is(false));
        assertThat(TestDatabase.value("""
                SELECT attempts FROM recordings.storage_deletions WHERE recording_id = ?""", expired), is(0));

        UUID ready = (UUID) TestDatabase.value("""
                INSERT INTO recordings.recordings (org_id, egress_id, status, object_key)
                VALUES (?, ?, 'ready', 'recordings/ready.mp4') RETURNING id""", org, EgressFixtures.egressId());
        given().auth().oauth2(Tenants.memberOf(org, "member").token())
                .when().post("/v1/recordings/orgs/{orgId}/recordings/{id}/download-url", org, ready)
                .then().statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("urn:huddle:problem:not-configured"))
                .body("detail", containsString("storage"));
    }
}
