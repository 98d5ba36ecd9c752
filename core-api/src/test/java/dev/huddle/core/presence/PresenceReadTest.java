package dev.huddle.core.presence;

import static dev.huddle.core.presence.LiveKitFixtures.deliver;
import static dev.huddle.core.presence.LiveKitFixtures.joined;
import static dev.huddle.core.presence.LiveKitFixtures.left;
import static dev.huddle.core.presence.LiveKitFixtures.sid;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.huddle.testing.Tenants;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PresenceReadTest {

    private static final long T = 1_795_600_010L;

    @Test
    void aMemberSeesWhoIsInTheRoomEarliestFirstWithoutThoseWhoLeft() {
        UUID org = Tenants.org("Readers");
        UUID room = Tenants.room(org, "Standup");
        String name = Tenants.roomName(room);
        var ada = Tenants.memberOf(org, "member");
        var bob = Tenants.memberOf(org, "member");
        String adaSid = sid();
        String adaPhone = sid();
        String bobSid = sid();
        String agent = sid();
        deliver(joined(name, adaSid, ada.workosUserId(), T)).statusCode(200);
        deliver(joined(name, adaPhone, ada.workosUserId(), T + 10)).statusCode(200);
        deliver(joined(name, agent, "agent-notes", T + 20)).statusCode(200);
        deliver(joined(name, bobSid, bob.workosUserId(), T + 30)).statusCode(200);
        deliver(left(name, bobSid, bob.workosUserId(), T + 40)).statusCode(200);

        given().auth().oauth2(bob.token())
                .when().get("/v1/orgs/{orgId}/rooms/{roomId}/presence", org, room)
                .then().statusCode(200)
                .body("roomId", equalTo(room.toString()))
                .body("participants.sid", contains(adaSid, adaPhone, agent))
                .body("participants[0].identity", equalTo(ada.workosUserId()))
                .body("participants[0].userId", equalTo(ada.id().toString()))
                .body("participants[0].joinedAt", equalTo("2026-11-25T09:46:45Z"))
                .body("participants[2].userId", nullValue());
    }

    @Test
    void anEmptyRoomHasNoParticipants() {
        UUID org = Tenants.org("Quiet");
        UUID room = Tenants.room(org, "Empty");
        var me = Tenants.memberOf(org, "member");
        given().auth().oauth2(me.token())
                .when().get("/v1/orgs/{orgId}/rooms/{roomId}/presence", org, room)
                .then().statusCode(200).body("participants", empty());
    }

    @Test
    void aRoomOfAnotherOrgIs404EvenThroughMyOrgsPath() {
        UUID mine = Tenants.org("Mine");
        UUID theirs = Tenants.org("Theirs");
        UUID theirRoom = Tenants.room(theirs, "Secret");
        deliver(joined(Tenants.roomName(theirRoom), sid(), "user_secret", T)).statusCode(200);
        var me = Tenants.memberOf(mine, "owner");

        given().auth().oauth2(me.token())
                .when().get("/v1/orgs/{orgId}/rooms/{roomId}/presence", mine, theirRoom)
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("room not found"));
        given().auth().oauth2(me.token())
                .when().get("/v1/orgs/{orgId}/rooms/{roomId}/presence", theirs, theirRoom)
                .then().statusCode(404).body("detail", equalTo("organization not found"));
        given().auth().oauth2(me.token())
                .when().get("/v1/orgs/{orgId}/presence", theirs)
                .then().statusCode(404);
        given().auth().oauth2(me.token())
                .when().get("/v1/orgs/{orgId}/rooms/{roomId}/presence", mine, UUID.randomUUID())
                .then().statusCode(404).body("detail", equalTo("room not found"));
    }

    @Test
    void readingPresenceNeedsAToken() {
        UUID org = Tenants.org("Anon");
        UUID room = Tenants.room(org, "Open");
        given().when().get("/v1/orgs/{orgId}/rooms/{roomId}/presence", org, room)
                .then().statusCode(401).contentType("application/problem+json");
        given().when().get("/v1/orgs/{orgId}/presence", org).then().statusCode(401);
    }

    @Test
    void orgPresenceListsEachOnlineUserOnceWithTheirRoomsAndNothingOfOtherOrgs() {
        UUID org = Tenants.org("Online");
        UUID other = Tenants.org("Elsewhere");
        UUID standup = Tenants.room(org, "Standup");
        UUID design = Tenants.room(org, "Design");
        UUID foreign = Tenants.room(other, "Foreign");
        var ada = Tenants.memberOf(org, "member");
        var bob = Tenants.memberOf(org, "admin");
        var gone = Tenants.memberOf(org, "member");
        var stranger = Tenants.memberOf(other, "member");
        String goneSid = sid();

        deliver(joined(Tenants.roomName(standup), sid(), ada.workosUserId(), T)).statusCode(200);
        deliver(joined(Tenants.roomName(standup), sid(), ada.workosUserId(), T + 5)).statusCode(200);
        deliver(joined(Tenants.roomName(design), sid(), ada.workosUserId(), T + 10)).statusCode(200);
        deliver(joined(Tenants.roomName(design), sid(), bob.workosUserId(), T + 20)).statusCode(200);
        deliver(joined(Tenants.roomName(standup), goneSid, gone.workosUserId(), T)).statusCode(200);
        deliver(left(Tenants.roomName(standup), goneSid, gone.workosUserId(), T + 1)).statusCode(200);
        deliver(joined(Tenants.roomName(foreign), sid(), stranger.workosUserId(), T)).statusCode(200);

        var adaEntry = "users.find { it.identity == '" + ada.workosUserId() + "' }";
        given().auth().oauth2(bob.token())
                .when().get("/v1/orgs/{orgId}/presence", org)
                .then().statusCode(200)
                .body("orgId", equalTo(org.toString()))
                .body("users.userId", containsInAnyOrder(ada.id().toString(), bob.id().toString()))
                .body(adaEntry + ".rooms.roomId", contains(standup.toString(), design.toString()))
                .body(adaEntry + ".rooms.name", contains("Standup", "Design"))
                .body(adaEntry + ".rooms[0].joinedAt", equalTo("2026-11-25T09:46:45Z"));

        given().auth().oauth2(stranger.token())
                .when().get("/v1/orgs/{orgId}/presence", other)
                .then().statusCode(200)
                .body("users", hasSize(1))
                .body("users[0].userId", equalTo(stranger.id().toString()));
    }
}
