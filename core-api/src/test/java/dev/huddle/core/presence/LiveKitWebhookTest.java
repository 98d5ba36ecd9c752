package dev.huddle.core.presence;

import static dev.huddle.core.presence.LiveKitFixtures.aborted;
import static dev.huddle.core.presence.LiveKitFixtures.announced;
import static dev.huddle.core.presence.LiveKitFixtures.deliver;
import static dev.huddle.core.presence.LiveKitFixtures.joined;
import static dev.huddle.core.presence.LiveKitFixtures.left;
import static dev.huddle.core.presence.LiveKitFixtures.roomFinished;
import static dev.huddle.core.presence.LiveKitFixtures.row;
import static dev.huddle.core.presence.LiveKitFixtures.sid;
import static dev.huddle.core.presence.LiveKitFixtures.sign;
import static dev.huddle.core.presence.LiveKitFixtures.state;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class LiveKitWebhookTest {

    private static final long T = 1_795_600_010L;

    private record Room(UUID orgId, UUID roomId, String name) {
    }

    private static Room room() {
        UUID org = Tenants.org("Presence");
        UUID room = Tenants.room(org, "Standup");
        return new Room(org, room, Tenants.roomName(room));
    }

    @Test
    void aJoinIsStoredWithTheUserItsIdentityNamesAndAnnouncedToTheRoomAndTheOrg() {
        Room room = room();
        var user = Tenants.memberOf(room.orgId(), "member");
        String sid = sid();

        deliver(joined(room.name(), sid, user.workosUserId(), T)).statusCode(200)
                .body("event", equalTo("participant_joined"))
                .body("outcome", equalTo("applied"));

        Map<String, Object> row = row(room.roomId(), sid);
        assertEquals("joined", row.get("state"));
        assertEquals(user.workosUserId(), row.get("identity"));
        assertEquals(user.id(), row.get("user_id"));
        assertEquals(T - 5, row.get("joined_at"), "LiveKit's joinedAt");
        assertEquals(T, row.get("last_event_at"), "the event's createdAt");
        assertEquals(List.of("room:" + room.roomId() + " presence.joined", "org:" + room.orgId() + " presence.joined"),
                announced(sid));
        Map<String, Object> payload = TestDatabase.sql("""
                SELECT payload->'data'->>'userId' AS user_id, payload->'data'->>'identity' AS identity,
                       payload->'data'->>'roomId' AS room_id, payload->>'version' AS version
                FROM realtime.outbox WHERE payload->'data'->>'participantSid' = ? LIMIT 1""", sid).get(0);
        assertEquals(user.id().toString(), payload.get("user_id"));
        assertEquals(user.workosUserId(), payload.get("identity"));
        assertEquals(room.roomId().toString(), payload.get("room_id"));
        assertEquals("1", payload.get("version"));
    }

    @Test
    void anIdentityThatIsNotOneOfOurUsersIsStoredWithoutAUser() {
        Room room = room();
        String sid = sid();
        deliver(joined(room.name(), sid, "agent-transcriber", T)).statusCode(200).body("outcome", equalTo("applied"));
        assertNull(row(room.roomId(), sid).get("user_id"));
    }

    @Test
    void aDuplicateJoinChangesNothingAndAnnouncesNothing() {
        Room room = room();
        String sid = sid();
        String body = joined(room.name(), sid, "user_dup", T);

        deliver(body).statusCode(200).body("outcome", equalTo("applied"));
        deliver(body).statusCode(200).body("outcome", equalTo("unchanged"));
        deliver(body).statusCode(200).body("outcome", equalTo("unchanged"));

        assertEquals("joined", state(room.roomId(), sid));
        assertEquals(2, announced(sid).size());
    }

    @Test
    void aJoinThenALeaveIsAnnouncedAsBoth() {
        Room room = room();
        String sid = sid();

        deliver(joined(room.name(), sid, "user_a", T)).statusCode(200);
        deliver(left(room.name(), sid, "user_a", T + 60)).statusCode(200).body("outcome", equalTo("applied"));
        deliver(left(room.name(), sid, "user_a", T + 60)).statusCode(200).body("outcome", equalTo("unchanged"));

        Map<String, Object> row = row(room.roomId(), sid);
        assertEquals("left", row.get("state"));
        assertEquals(T + 60, row.get("left_at"));
        assertEquals(List.of(
                "room:" + room.roomId() + " presence.joined", "org:" + room.orgId() + " presence.joined",
                "room:" + room.roomId() + " presence.left", "org:" + room.orgId() + " presence.left"), announced(sid));
    }

    @Test
    void aLeaveOfAParticipantNeverSeenSucceedsAndLeavesATombstone() {
        Room room = room();
        String sid = sid();

        deliver(left(room.name(), sid, "user_ghost", T)).statusCode(200).body("outcome", equalTo("recorded"));

        Map<String, Object> row = row(room.roomId(), sid);
        assertEquals("left", row.get("state"));
        assertNull(row.get("joined_at"));
        assertTrue(announced(sid).isEmpty(), "nobody saw them join: nothing to announce");
    }

    @Test
    void aJoinDeliveredAfterItsLeaveIsIgnored() {
        Room room = room();
        String sid = sid();

        deliver(left(room.name(), sid, "user_late", T + 30)).statusCode(200).body("outcome", equalTo("recorded"));
        deliver(joined(room.name(), sid, "user_late", T)).statusCode(200).body("outcome", equalTo("unchanged"));

        assertEquals("left", state(room.roomId(), sid));
        assertTrue(announced(sid).isEmpty());
    }

    @Test
    void aLeaveWinsAJoinOfTheSameSecondInEitherOrder() {
        Room room = room();
        String first = sid();
        deliver(joined(room.name(), first, "user_tie", T)).statusCode(200).body("outcome", equalTo("applied"));
        deliver(left(room.name(), first, "user_tie", T)).statusCode(200).body("outcome", equalTo("applied"));
        assertEquals("left", state(room.roomId(), first));

        String second = sid();
        deliver(left(room.name(), second, "user_tie", T)).statusCode(200).body("outcome", equalTo("recorded"));
        deliver(joined(room.name(), second, "user_tie", T)).statusCode(200).body("outcome", equalTo("unchanged"));
        assertEquals("left", state(room.roomId(), second));
    }

    @Test
    void aJoinNewerThanARecordedLeaveApplies() {
        Room room = room();
        String sid = sid();
        deliver(left(room.name(), sid, "user_back", T)).statusCode(200).body("outcome", equalTo("recorded"));
        deliver(joined(room.name(), sid, "user_back", T + 1)).statusCode(200).body("outcome", equalTo("applied"));
        assertEquals("joined", state(room.roomId(), sid));
        assertNull(row(room.roomId(), sid).get("left_at"));
    }

    @Test
    void aLeaveOlderThanTheJoinItFollowsIsIgnored() {
        Room room = room();
        String sid = sid();
        deliver(joined(room.name(), sid, "user_skew", T + 10)).statusCode(200);
        deliver(left(room.name(), sid, "user_skew", T)).statusCode(200).body("outcome", equalTo("unchanged"));
        assertEquals("joined", state(room.roomId(), sid));
    }

    @Test
    void aConnectionAbortedIsALeave() {
        Room room = room();
        String sid = sid();
        deliver(joined(room.name(), sid, "user_abort", T)).statusCode(200);
        deliver(aborted(room.name(), sid, "user_abort", T + 3)).statusCode(200)
                .body("event", equalTo("participant_connection_aborted"))
                .body("outcome", equalTo("applied"));
        assertEquals("left", state(room.roomId(), sid));
        assertEquals(4, announced(sid).size());
    }

    /**
     * A join, its duplicate, a leave and a connection_aborted of the same session, in every order: it always ends
     * left, and clients are never told of a join without its leave, nor of anything twice.
     */
    @Test
    void everyOrderOfJoinsLeavesAndDuplicatesEndsLeftAndAnnouncesConsistently() {
        Room room = room();
        List<List<Integer>> orders = permutations(List.of(0, 1, 2, 3));
        for (List<Integer> order : orders) {
            String sid = sid();
            List<String> bodies = List.of(
                    joined(room.name(), sid, "user_order", T),
                    joined(room.name(), sid, "user_order", T),
                    left(room.name(), sid, "user_order", T + 20),
                    aborted(room.name(), sid, "user_order", T + 20));
            for (int i : order) {
                deliver(bodies.get(i)).statusCode(200);
            }
            assertEquals("left", state(room.roomId(), sid), "order " + order);
            List<String> events = announced(sid);
            long joins = events.stream().filter(e -> e.endsWith("presence.joined")).count();
            long leaves = events.stream().filter(e -> e.endsWith("presence.left")).count();
            boolean joinFirst = order.indexOf(0) < order.indexOf(2) && order.indexOf(0) < order.indexOf(3)
                    || order.indexOf(1) < order.indexOf(2) && order.indexOf(1) < order.indexOf(3);
            assertEquals(joinFirst ? 2 : 0, joins, "order " + order + ": " + events);
            assertEquals(joins, leaves, "order " + order + ": " + events);
        }
        // a join, its duplicate and a leave of the same second, in every order: left, and consistent
        for (List<Integer> order : permutations(List.of(0, 1, 2))) {
            String sid = sid();
            List<String> bodies = List.of(
                    joined(room.name(), sid, "user_order", T),
                    joined(room.name(), sid, "user_order", T),
                    left(room.name(), sid, "user_order", T));
            for (int i : order) {
                deliver(bodies.get(i)).statusCode(200);
            }
            assertEquals("left", state(room.roomId(), sid), "same second, order " + order);
            List<String> events = announced(sid);
            assertEquals(events.stream().filter(e -> e.endsWith("presence.joined")).count(),
                    events.stream().filter(e -> e.endsWith("presence.left")).count(), "same second, order " + order);
        }
    }

    @Test
    void onlyJoinsInAnyOrderEndJoinedAndAreAnnouncedOnce() {
        Room room = room();
        String sid = sid();
        deliver(joined(room.name(), sid, "user_j", T + 1)).statusCode(200).body("outcome", equalTo("applied"));
        deliver(joined(room.name(), sid, "user_j", T)).statusCode(200).body("outcome", equalTo("unchanged"));
        deliver(joined(room.name(), sid, "user_j", T + 1)).statusCode(200).body("outcome", equalTo("unchanged"));
        assertEquals("joined", state(room.roomId(), sid));
        assertEquals(2, announced(sid).size());
    }

    @Test
    void roomFinishedMarksEveryoneInTheRoomLeftButNotWhoJoinedAfter() {
        Room room = room();
        Room other = room();
        String a = sid();
        String b = sid();
        String later = sid();
        String elsewhere = sid();
        deliver(joined(room.name(), a, "user_a", T)).statusCode(200);
        deliver(joined(room.name(), b, "user_b", T + 5)).statusCode(200);
        deliver(joined(room.name(), later, "user_c", T + 100)).statusCode(200);
        deliver(joined(other.name(), elsewhere, "user_d", T)).statusCode(200);

        deliver(roomFinished(room.name(), T + 50)).statusCode(200)
                .body("event", equalTo("room_finished"))
                .body("outcome", equalTo("applied"));

        assertEquals("left", state(room.roomId(), a));
        assertEquals("left", state(room.roomId(), b));
        assertEquals("joined", state(room.roomId(), later), "joined after the finish: a new session of the room");
        assertEquals("joined", state(other.roomId(), elsewhere));
        assertEquals(4, announced(a).size());
        assertEquals(4, announced(b).size());
        assertEquals(2, announced(later).size());

        deliver(roomFinished(room.name(), T + 50)).statusCode(200).body("outcome", equalTo("unchanged"));
        assertEquals(4, announced(a).size());
    }

    @Test
    void eventsOfARoomThatIsNotOursAreAcknowledgedAndIgnored() {
        String sid = sid();
        deliver(joined("not-our-room-" + UUID.randomUUID(), sid, "user_x", T)).statusCode(200)
                .body("outcome", equalTo("ignored"));
        assertEquals(0L, TestDatabase.value("SELECT count(*) FROM core.room_presence WHERE participant_sid = ?", sid));
    }

    @Test
    void egressAndOtherEventsAreAcknowledgedAndIgnored() {
        Room room = room();
        deliver(LiveKitFixtures.egressStarted(room.name())).statusCode(200)
                .body("event", equalTo("egress_started"))
                .body("outcome", equalTo("ignored"));
    }

    @Test
    void aBadSignatureATamperedBodyAnExpiredTokenOrNoHeaderIs401AndWritesNothing() {
        Room room = room();
        String sid = sid();
        String body = joined(room.name(), sid, "user_forged", T);

        deliver(body, sign(body, LiveKitTestResource.API_KEY, "another-secret-0123456789abcdefghijklmn", 300_000))
                .statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("urn:huddle:problem:unauthorized"));
        deliver(body, sign(body, "APIsomeoneElse", LiveKitTestResource.API_SECRET, 300_000)).statusCode(401);
        deliver(body.replace(sid, sid()), sign(body)).statusCode(401)
                .body("detail", equalTo("the webhook token or the body checksum does not verify"));
        deliver(body, sign(body, LiveKitTestResource.API_KEY, LiveKitTestResource.API_SECRET, -60_000)).statusCode(401);
        deliver(body, "Bearer " + sign(body)).statusCode(401);
        deliver(body, null).statusCode(401).contentType("application/problem+json");
        deliver(body, "").statusCode(401);

        assertNull(row(room.roomId(), sid));
        assertTrue(announced(sid).isEmpty());
    }

    @Test
    void aCorrectlySignedBodyThatIsNotAnEventIs400() {
        deliver("this is not json").statusCode(400).contentType("application/problem+json");
    }

    private static List<List<Integer>> permutations(List<Integer> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<Integer>> all = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<Integer> rest = new ArrayList<>(items);
            Integer head = rest.remove(i);
            for (List<Integer> tail : permutations(rest)) {
                List<Integer> p = new ArrayList<>();
                p.add(head);
                p.addAll(tail);
                all.add(p);
            }
        }
        return all;
    }
}
