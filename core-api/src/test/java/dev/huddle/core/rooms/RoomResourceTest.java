package dev.huddle.core.rooms;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.huddle.testing.Tenants;
import dev.huddle.testing.Tenants.TestUser;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RoomResourceTest {

    private UUID org;
    private TestUser admin;
    private TestUser member;

    @BeforeEach
    void org() {
        org = Tenants.org("Rooms");
        admin = Tenants.memberOf(org, "admin");
        member = Tenants.memberOf(org, "member");
    }

    @Test
    void anAdminCreatesRenamesAndDeletesARoomAndMembersSeeIt() {
        String id = given().auth().oauth2(admin.token()).contentType("application/json").body("{\"name\": \"  Standup  \"}")
                .post("/v1/orgs/{orgId}/rooms", org)
                .then().statusCode(201)
                .body("name", equalTo("Standup"))
                .body("livekitRoomName", startsWith("room_"))
                .extract().path("id");
        given().auth().oauth2(member.token()).get("/v1/orgs/{orgId}/rooms/{roomId}", org, id)
                .then().statusCode(200).body("orgId", equalTo(org.toString()));
        given().auth().oauth2(admin.token()).contentType("application/json").body("{\"name\": \"Daily\"}")
                .patch("/v1/orgs/{orgId}/rooms/{roomId}", org, id).then().statusCode(200).body("name", equalTo("Daily"));
        given().auth().oauth2(admin.token()).delete("/v1/orgs/{orgId}/rooms/{roomId}", org, id).then().statusCode(204);
        given().auth().oauth2(member.token()).get("/v1/orgs/{orgId}/rooms/{roomId}", org, id).then().statusCode(404);
        assertEquals(3L, ((Number) TestDatabase.value(
                "SELECT count(*) FROM realtime.outbox WHERE channel = ? AND payload->>'type' LIKE 'room.%'", "org:" + org))
                .longValue());
    }

    @Test
    void membersCannotManageRooms() {
        given().auth().oauth2(member.token()).contentType("application/json").body("{\"name\": \"Mine\"}")
                .post("/v1/orgs/{orgId}/rooms", org).then().statusCode(403);
        UUID room = Tenants.room(org, "Kept");
        given().auth().oauth2(member.token()).delete("/v1/orgs/{orgId}/rooms/{roomId}", org, room).then().statusCode(403);
        assertEquals(1L, ((Number) TestDatabase.value("SELECT count(*) FROM core.rooms WHERE id = ?", room)).longValue());
    }

    @Test
    void deletingARoomKeepsItsRecordingsWithNoRoom() {
        UUID room = Tenants.room(org, "Recorded");
        UUID recording = (UUID) TestDatabase.value("""
                INSERT INTO recordings.recordings (org_id, room_id, egress_id, status) VALUES (?, ?, ?, 'ready')
                RETURNING id""", org, room, "EG_" + UUID.randomUUID());

        given().auth().oauth2(admin.token()).delete("/v1/orgs/{orgId}/rooms/{roomId}", org, room).then().statusCode(204);

        assertNull(TestDatabase.value("SELECT room_id FROM recordings.recordings WHERE id = ?", recording));
        assertEquals(org, TestDatabase.value("SELECT org_id FROM recordings.recordings WHERE id = ?", recording));
    }

    @Test
    void deletingARoomDeletesItsMessagesAndPresence() {
        UUID room = Tenants.room(org, "Busy");
        TestDatabase.sql("INSERT INTO core.messages (org_id, room_id, author_id, body) VALUES (?, ?, ?, 'hi')", org, room,
                member.id());
        TestDatabase.sql("INSERT INTO core.room_presence (org_id, room_id, participant_sid, identity, user_id, state, "
                + "joined_at, last_event_at) VALUES (?, ?, 'PA_1', ?, ?, 'joined', now(), now())", org, room,
                member.workosUserId(), member.id());

        given().auth().oauth2(admin.token()).delete("/v1/orgs/{orgId}/rooms/{roomId}", org, room).then().statusCode(204);

        assertEquals(0L,
                ((Number) TestDatabase.value("SELECT count(*) FROM core.messages WHERE room_id = ?", room)).longValue());
        assertEquals(0L, ((Number) TestDatabase.value("SELECT count(*) FROM core.room_presence WHERE room_id = ?", room))
                .longValue());
    }

    @Test
    void anotherOrgsRoomIs404UnderYourOwnOrgId() {
        UUID theirs = Tenants.room(Tenants.org("Theirs"), "Secret");
        given().auth().oauth2(admin.token()).get("/v1/orgs/{orgId}/rooms/{roomId}", org, theirs).then().statusCode(404);
        given().auth().oauth2(admin.token()).contentType("application/json").body("{\"name\": \"Pwned\"}")
                .patch("/v1/orgs/{orgId}/rooms/{roomId}", org, theirs).then().statusCode(404);
        given().auth().oauth2(admin.token()).delete("/v1/orgs/{orgId}/rooms/{roomId}", org, theirs).then().statusCode(404);
        assertEquals("Secret", TestDatabase.value("SELECT name FROM core.rooms WHERE id = ?", theirs));
    }
}
