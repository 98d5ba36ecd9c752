package dev.huddle.recordings.jobs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.huddle.recordings.egress.EgressFixtures;
import dev.huddle.recordings.egress.LiveKitTestResource;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * Stale reconciliation without pg_cron: the service runs the SQL job (marks candidates, fails only past the hard
 * limit), then asks LiveKit's Egress API ({@code ListEgress}, Twirp JSON) about each candidate, and acts on what it
 * says. {@link PgCronStaleReconcileTest} shows the same outcome with the SQL job on pg_cron. LiveKit is a WireMock stub
 * answering as LiveKit
 * does (protojson: lowerCamelCase, int64 as strings, zero values omitted; Twirp errors as {@code {code, msg}}).
 */
@QuarkusTest
class StaleReconcileTest {

    private static final String LIST_EGRESS = "/twirp/livekit.Egress/ListEgress";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    RecordingJobs jobs;

    private record Stuck(UUID orgId, UUID id, String egressId, String roomName) {
    }

    /** A recording finalizing since {@code ago}, as the webhooks left it. */
    private static Stuck stuck(Duration ago) {
        UUID org = Tenants.org("Stale");
        UUID room = Tenants.room(org, "R");
        String egress = EgressFixtures.egressId();
        UUID id = (UUID) TestDatabase.value("""
                INSERT INTO recordings.recordings (org_id, room_id, egress_id, status, started_at, created_at, updated_at)
                VALUES (?, ?, ?, 'finalizing', now() - interval '3 hours', now() - interval '3 hours',
                        now() - make_interval(secs => ?)) RETURNING id""", org, room, egress, (double) ago.toSeconds());
        return new Stuck(org, id, egress, Tenants.roomName(room));
    }

    /** LiveKit's ListEgress answers for {@code egressId} with that egress. */
    static void liveKitReports(String egressId, String egressInfoJson) {
        LiveKitTestResource.server().stubFor(post(urlEqualTo(LIST_EGRESS))
                .withRequestBody(matchingJsonPath("$.egressId", equalTo(egressId)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"items\":[" + egressInfoJson + "]}")));
    }

    private static void liveKitAnswers(String egressId, int status, String twirpCode, String msg) {
        LiveKitTestResource.server().stubFor(post(urlEqualTo(LIST_EGRESS))
                .withRequestBody(matchingJsonPath("$.egressId", equalTo(egressId)))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":\"" + twirpCode + "\",\"msg\":\"" + msg + "\"}")));
    }

    /** An egress as ListEgress reports it once complete, with its file. */
    static String complete(String egressId) {
        return """
                {"egressId":"%1$s","roomId":"RM_5GAbc12xYz","roomName":"org-x-room-y","status":"EGRESS_COMPLETE",
                 "startedAt":"1795600020000000000","endedAt":"1795600605000000000","updatedAt":"1795600605000000000",
                 "fileResults":[{"filename":"recordings/%1$s.mp4","startedAt":"1795600020000000000",
                   "endedAt":"1795600605000000000","size":"48213377",
                   "location":"https://acme-recordings.s3.amazonaws.com/recordings/%1$s.mp4",
                   "duration":"585000000000"}]}""".formatted(egressId);
    }

    private static String status(UUID id) {
        return (String) TestDatabase.value("SELECT status FROM recordings.recordings WHERE id = ?", id);
    }

    private static Map<String, Object> row(UUID id) {
        return TestDatabase.sql("SELECT status, error, object_key, location, size_bytes, duration_ms "
                + "FROM recordings.recordings WHERE id = ?", id).get(0);
    }

    private static List<LoggedRequest> asked(String egressId) {
        return LiveKitTestResource.server().findAll(postRequestedFor(urlEqualTo(LIST_EGRESS))
                .withRequestBody(matchingJsonPath("$.egressId", equalTo(egressId))));
    }

    @Test
    void anEgressLiveKitReportsCompleteIsFinishedAsReadyWithItsFileAndAnnounced() {
        Stuck s = stuck(Duration.ofHours(1));
        liveKitReports(s.egressId(), complete(s.egressId()));

        assertThat(jobs.reconcileStale().await().atMost(WAIT).ran(), is(true));

        Map<String, Object> row = row(s.id());
        assertThat(row.get("status"), is("ready"));
        assertThat(row.get("object_key"), is("recordings/" + s.egressId() + ".mp4"));
        assertThat(row.get("size_bytes"), is(48213377L));
        assertThat(row.get("duration_ms"), is(585000L));
        assertThat(EgressFixtures.announced(s.id()), contains("org:" + s.orgId() + " ready"));

        // asked with a server token carrying roomRecord, the grant the Egress API needs, as Twirp JSON
        List<LoggedRequest> requests = asked(s.egressId());
        assertThat(requests.size(), is(1));
        assertThat(requests.get(0).getHeader("Content-Type"), startsWith("application/json"));
        String authorization = requests.get(0).getHeader("Authorization");
        assertThat(authorization, startsWith("Bearer "));
        JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder()
                .decode(authorization.substring("Bearer ".length()).split("\\.")[1]), StandardCharsets.UTF_8));
        assertThat(claims.getString("iss"), is(LiveKitTestResource.API_KEY));
        assertThat(claims.getJsonObject("video").getBoolean("roomRecord"), is(true));

        // done: a later round does not ask again
        assertThat(jobs.reconcileStale().await().atMost(WAIT).ran(), is(true));
        assertThat(asked(s.egressId()).size(), is(1));
    }

    @Test
    void anEgressLiveKitReportsFailedGetsLiveKitsError() {
        Stuck s = stuck(Duration.ofHours(1));
        liveKitReports(s.egressId(), """
                {"egressId":"%s","roomName":"org-x-room-y","status":"EGRESS_FAILED",
                 "error":"pipeline failure: upload error","updatedAt":"1795600605000000000"}""".formatted(s.egressId()));

        jobs.reconcileStale().await().atMost(WAIT);

        assertThat(row(s.id()).get("status"), is("failed"));
        assertThat(row(s.id()).get("error"), is("pipeline failure: upload error"));
        assertThat(EgressFixtures.announced(s.id()), contains("org:" + s.orgId() + " failed"));
    }

    @Test
    void anEgressStillActiveInLiveKitIsLeftAlone() {
        Stuck s = stuck(Duration.ofHours(1));
        liveKitReports(s.egressId(), """
                {"egressId":"%s","roomName":"org-x-room-y","status":"EGRESS_ENDING",
                 "startedAt":"1795600020000000000","updatedAt":"1795600600000000000"}""".formatted(s.egressId()));

        // the round ran: what it left alone, it had its chance at
        assertThat(jobs.reconcileStale().await().atMost(WAIT).ran(), is(true));

        assertThat(status(s.id()), is("finalizing"));
        assertThat(EgressFixtures.announced(s.id()), empty());
        assertThat(asked(s.egressId()).size(), is(1));
    }

    @Test
    void anEgressLiveKitDoesNotKnowIsFailedSayingSo() {
        Stuck s = stuck(Duration.ofHours(1));
        liveKitAnswers(s.egressId(), 404, "not_found", "egress does not exist");

        jobs.reconcileStale().await().atMost(WAIT);

        assertThat(row(s.id()).get("status"), is("failed"));
        assertThat((String) row(s.id()).get("error"), containsString("LiveKit does not know egress"));
        assertThat(EgressFixtures.announced(s.id()), contains("org:" + s.orgId() + " failed"));
    }

    @Test
    void whileLiveKitCannotBeAskedARecordingWaitsUntilTheHardLimit() {
        Stuck recent = stuck(Duration.ofHours(1));
        Stuck old = stuck(Duration.ofHours(25));
        Stuck unanswered = stuck(Duration.ofHours(2));
        liveKitAnswers(recent.egressId(), 500, "internal", "redis unavailable");
        liveKitAnswers(old.egressId(), 503, "unavailable", "egress not connected");
        // no stub for the third: WireMock answers a bare 404, which is not LiveKit saying anything

        // the round ran: what it left alone, it had its chance at
        assertThat(jobs.reconcileStale().await().atMost(WAIT).ran(), is(true));

        assertThat(status(recent.id()), is("finalizing"));
        assertThat(status(unanswered.id()), is("finalizing"));
        assertThat(EgressFixtures.announced(recent.id()), empty());
        assertThat(asked(recent.egressId()).size(), is(1));
        // finalizing for longer than give-up-after (24 h): failed by the job without asking, nothing stays stuck
        // forever; LiveKit's own result may still replace that failure
        assertThat(row(old.id()).get("status"), is("failed"));
        assertThat((String) row(old.id()).get("error"), containsString("marked failed by reconciliation"));
        assertThat(TestDatabase.value("SELECT failed_by_reconciliation FROM recordings.recordings WHERE id = ?",
                old.id()), is(true));
        assertThat(EgressFixtures.announced(old.id()), contains("org:" + old.orgId() + " failed"));
        assertThat(asked(old.egressId()), empty());
    }

    /**
     * #13: failed is no longer final when reconciliation decided it without LiveKit's word. The egress_ended LiveKit
     * sends after a long upload still makes the recording ready, with its object, which then goes like any other.
     */
    @Test
    void anEgressEndedCompleteAfterAReconcileFailureEndsReadyWithItsObject() {
        Stuck s = stuck(Duration.ofHours(25));
        jobs.reconcileStale().await().atMost(WAIT);
        assertThat(status(s.id()), is("failed"));

        EgressFixtures.deliver(EgressFixtures.complete(s.egressId(), s.roomName())).statusCode(200)
                .body("outcome", is("applied"));

        Map<String, Object> row = row(s.id());
        assertThat(row.get("status"), is("ready"));
        assertThat(row.get("error"), is(nullValue()));
        assertThat(row.get("object_key"), is("recordings/org-3f1c/" + s.egressId() + ".mp4"));
        assertThat(EgressFixtures.announced(s.id()),
                contains("org:" + s.orgId() + " failed", "org:" + s.orgId() + " ready"));
        // its object is the recording's now: retention queues it for deletion like any other
        TestDatabase.sql("UPDATE recordings.recordings SET created_at = now() - interval '100 days' WHERE id = ?",
                s.id());
        jobs.purgeExpired().await().atMost(WAIT);
        assertThat(TestDatabase.value("SELECT object_key FROM recordings.storage_deletions WHERE recording_id = ?",
                s.id()), is("recordings/org-3f1c/" + s.egressId() + ".mp4"));
    }

    @Test
    void anEgressLiveKitDidNotKnowStillTakesTheResultItReportsLater() {
        Stuck s = stuck(Duration.ofHours(1));
        liveKitAnswers(s.egressId(), 404, "not_found", "egress does not exist");
        jobs.reconcileStale().await().atMost(WAIT);
        assertThat(status(s.id()), is("failed"));

        EgressFixtures.deliver(EgressFixtures.failed(s.egressId(), s.roomName())).statusCode(200);

        // LiveKit's own failure replaces reconciliation's, and is final: a later completion is not taken
        assertThat(row(s.id()).get("error"), is("pipeline failure: upload error"));
        assertThat(TestDatabase.value("SELECT failed_by_reconciliation FROM recordings.recordings WHERE id = ?",
                s.id()), is(false));
        EgressFixtures.deliver(EgressFixtures.complete(s.egressId(), s.roomName())).statusCode(200)
                .body("outcome", is("unchanged"));
        assertThat(status(s.id()), is("failed"));
        assertThat(EgressFixtures.announced(s.id()), contains("org:" + s.orgId() + " failed"));
    }

    @Test
    void aRecordingNotYetStaleIsNotAsked() {
        Stuck fresh = stuck(Duration.ofMinutes(5));
        liveKitAnswers(fresh.egressId(), 404, "not_found", "egress does not exist");

        // the round ran: what it left alone, it had its chance at
        assertThat(jobs.reconcileStale().await().atMost(WAIT).ran(), is(true));

        assertThat(status(fresh.id()), is("finalizing"));
        assertThat(asked(fresh.egressId()), empty());
    }
}
