package dev.huddle.core.presence;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.huddle.core.presence.LiveKitFixtures.announced;
import static dev.huddle.core.presence.LiveKitFixtures.deliver;
import static dev.huddle.core.presence.LiveKitFixtures.joined;
import static dev.huddle.core.presence.LiveKitFixtures.left;
import static dev.huddle.core.presence.LiveKitFixtures.row;
import static dev.huddle.core.presence.LiveKitFixtures.sid;
import static dev.huddle.core.presence.LiveKitFixtures.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.huddle.testing.LiveKitSamples;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class PresenceReconcileTest {

    private static final String LIST_PARTICIPANTS = "/twirp/livekit.RoomService/ListParticipants";
    private static final String LIST_ROOMS = "/twirp/livekit.RoomService/ListRooms";
    private static final long T = 1_795_600_010L;

    @Inject
    PresenceReconciler reconciler;

    private record Room(UUID orgId, UUID roomId, String name) {
    }

    private static Room room() {
        UUID org = Tenants.org("Reconciled");
        UUID room = Tenants.room(org, "Standup");
        return new Room(org, room, Tenants.roomName(room));
    }

    /** LiveKit lists these participants in the room (Twirp JSON, as LiveKit answers it). */
    private static void liveKitLists(String roomName, String... sids) {
        StringBuilder participants = new StringBuilder();
        for (String sid : sids) {
            participants.append(participants.length() == 0 ? "" : ",")
                    .append("{\"sid\":\"").append(sid).append("\",\"identity\":\"user_x\",\"state\":\"ACTIVE\",")
                    .append("\"joinedAt\":\"1795600005\",\"isPublisher\":true}");
        }
        LiveKitTestResource.server().stubFor(post(urlEqualTo(LIST_PARTICIPANTS))
                .withRequestBody(matchingJsonPath("$.room", equalTo(roomName)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"participants\":[" + participants + "]}")));
    }

    /** LiveKit has these rooms open (ListRooms, Twirp JSON as LiveKit answers it). */
    private static void liveKitOpens(String... names) {
        StringBuilder rooms = new StringBuilder();
        for (String name : names) {
            rooms.append(rooms.length() == 0 ? "" : ",")
                    .append("{\"sid\":\"").append(LiveKitSamples.id("RM_")).append("\",\"name\":\"").append(name)
                    .append("\",\"emptyTimeout\":300,\"creationTime\":\"1795600000\",\"numParticipants\":1}");
        }
        LiveKitTestResource.server().stubFor(post(urlEqualTo(LIST_ROOMS))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"rooms\":[" + rooms + "]}")));
    }

    /** The claims of the server token a LiveKit API request was authorized with. */
    private static JsonObject serverTokenClaims(LoggedRequest request) {
        String authorization = request.getHeader("Authorization");
        assertTrue(authorization.startsWith("Bearer "));
        return new JsonObject(new String(
                Base64.getUrlDecoder().decode(authorization.substring("Bearer ".length()).split("\\.")[1]),
                StandardCharsets.UTF_8));
    }

    private static void liveKitAnswers(String roomName, int status, String twirpCode) {
        LiveKitTestResource.server().stubFor(post(urlEqualTo(LIST_PARTICIPANTS))
                .withRequestBody(matchingJsonPath("$.room", equalTo(roomName)))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":\"" + twirpCode + "\",\"msg\":\"requested room does not exist\"}")));
    }

    @Test
    void participantsLiveKitNoLongerListsAreMarkedLeftAndAnnouncedTheOthersKept() {
        Room room = room();
        String stays = sid();
        String alsoStays = sid();
        String missed = sid();
        deliver(joined(room.name(), stays, "user_stays", T)).statusCode(200);
        deliver(joined(room.name(), alsoStays, "user_also", T)).statusCode(200);
        deliver(joined(room.name(), missed, "user_missed", T)).statusCode(200);
        liveKitLists(room.name(), stays, alsoStays, "PA_notOurs");

        PresenceReconciler.Result result = reconciler.reconcile().await().atMost(Duration.ofSeconds(20));

        assertTrue(result.ran());
        assertEquals("joined", state(room.roomId(), stays));
        assertEquals("joined", state(room.roomId(), alsoStays));
        assertEquals("left", state(room.roomId(), missed));
        assertEquals(List.of(
                "room:" + room.roomId() + " presence.joined", "org:" + room.orgId() + " presence.joined",
                "room:" + room.roomId() + " presence.left", "org:" + room.orgId() + " presence.left"), announced(missed));
        assertEquals(2, announced(stays).size());

        // asked with a server token for that room only, as Twirp JSON
        List<LoggedRequest> asked = LiveKitTestResource.server().findAll(postRequestedFor(urlEqualTo(LIST_PARTICIPANTS))
                .withRequestBody(matchingJsonPath("$.room", equalTo(room.name()))));
        assertEquals(1, asked.size());
        assertTrue(asked.get(0).getHeader("Content-Type").startsWith("application/json"));
        JsonObject claims = serverTokenClaims(asked.get(0));
        assertEquals(LiveKitTestResource.API_KEY, claims.getString("iss"));
        assertEquals(true, claims.getJsonObject("video").getBoolean("roomAdmin"));
        assertEquals(room.name(), claims.getJsonObject("video").getString("room"));

        // nothing more to do on the next pass
        reconciler.reconcile().await().atMost(Duration.ofSeconds(20));
        assertEquals(4, announced(missed).size());
        assertEquals("joined", state(room.roomId(), stays));
    }

    @Test
    void aParticipantLiveKitListsInAnOpenRoomWithNobodyHereAppearsAfterOneReconcile() {
        Room room = room();
        String missed = sid();
        liveKitOpens("some-other-project-room", room.name());
        liveKitLists(room.name(), missed);

        PresenceReconciler.Result result = reconciler.reconcile().await().atMost(Duration.ofSeconds(20));

        assertTrue(result.ran());
        assertTrue(result.markedJoined() >= 1);
        Map<String, Object> row = row(room.roomId(), missed);
        assertEquals("joined", row.get("state"));
        assertEquals("user_x", row.get("identity"));
        assertEquals(1_795_600_005L, row.get("joined_at"));
        assertEquals(List.of("room:" + room.roomId() + " presence.joined", "org:" + room.orgId() + " presence.joined"),
                announced(missed));

        // ListRooms was asked with a roomList server token
        List<LoggedRequest> asked = LiveKitTestResource.server().findAll(postRequestedFor(urlEqualTo(LIST_ROOMS)));
        assertFalse(asked.isEmpty());
        assertEquals(true, serverTokenClaims(asked.get(asked.size() - 1)).getJsonObject("video").getBoolean("roomList"));

        // found once: the next pass changes nothing
        reconciler.reconcile().await().atMost(Duration.ofSeconds(20));
        assertEquals(2, announced(missed).size());
        assertEquals("joined", state(room.roomId(), missed));
    }

    @Test
    void aParticipantStillListedButWhoseLeaveIsNewerThanTheCheckStaysLeft() {
        Room room = room();
        String leaving = sid();
        long later = Instant.now().getEpochSecond() + 60;
        deliver(left(room.name(), leaving, "user_x", later)).statusCode(200);
        liveKitOpens(room.name());
        liveKitLists(room.name(), leaving);

        PresenceReconciler.Result result = reconciler.reconcile().await().atMost(Duration.ofSeconds(20));

        assertTrue(result.ran());
        assertEquals("left", state(room.roomId(), leaving));
        assertEquals(List.of(), announced(leaving));
    }

    @Test
    void aRoomLiveKitDoesNotKnowHasEveryoneLeft() {
        Room room = room();
        String a = sid();
        String b = sid();
        deliver(joined(room.name(), a, "user_a", T)).statusCode(200);
        deliver(joined(room.name(), b, "user_b", T)).statusCode(200);
        liveKitAnswers(room.name(), 404, "not_found");

        reconciler.reconcile().await().atMost(Duration.ofSeconds(20));

        assertEquals("left", state(room.roomId(), a));
        assertEquals("left", state(room.roomId(), b));
        assertEquals(4, announced(a).size());
    }

    @Test
    void aLiveKitErrorOrAnAnswerThatIsNotTwirpChangesNothing() {
        Room failing = room();
        Room unanswered = room();
        String a = sid();
        String b = sid();
        deliver(joined(failing.name(), a, "user_a", T)).statusCode(200);
        deliver(joined(unanswered.name(), b, "user_b", T)).statusCode(200);
        liveKitAnswers(failing.name(), 500, "internal");
        // no stub for the other room: WireMock answers a bare 404, which is not LiveKit saying the room is gone

        PresenceReconciler.Result result = reconciler.reconcile().await().atMost(Duration.ofSeconds(20));

        assertTrue(result.ran());
        assertTrue(result.roomsFailed() >= 2);
        assertEquals("joined", state(failing.roomId(), a));
        assertEquals("joined", state(unanswered.roomId(), b));
        assertEquals(2, announced(a).size());
    }

    @Test
    void leaveTombstonesAreDeletedAfterTheRetention() {
        Room room = room();
        String old = sid();
        String recent = sid();
        TestDatabase.sql("""
                INSERT INTO core.room_presence (org_id, room_id, participant_sid, identity, state, left_at, last_event_at)
                VALUES (?, ?, ?, 'user_old', 'left', now() - interval '2 days', now() - interval '2 days'),
                       (?, ?, ?, 'user_recent', 'left', now() - interval '1 hour', now() - interval '1 hour')""",
                room.orgId(), room.roomId(), old, room.orgId(), room.roomId(), recent);

        reconciler.reconcile().await().atMost(Duration.ofSeconds(20));

        assertEquals(null, state(room.roomId(), old));
        assertEquals("left", state(room.roomId(), recent));
    }

    @Test
    void aPassIsSkippedWhileAnotherReplicaRunsOne() throws Exception {
        Room room = room();
        String missed = sid();
        deliver(joined(room.name(), missed, "user_missed", T)).statusCode(200);
        liveKitLists(room.name());

        try (Connection otherReplica = TestDatabase.admin()) {
            otherReplica.setAutoCommit(false);
            try (Statement st = otherReplica.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(hashtext('huddle.jobs'), hashtext('" + PresenceReconciler.JOB
                        + "'))");
            }
            PresenceReconciler.Result result = reconciler.reconcile().await().atMost(Duration.ofSeconds(20));
            assertFalse(result.ran());
            assertEquals("joined", state(room.roomId(), missed));
            otherReplica.rollback();
        }

        assertTrue(reconciler.reconcile().await().atMost(Duration.ofSeconds(20)).ran());
        assertEquals("left", state(room.roomId(), missed));
    }
}
