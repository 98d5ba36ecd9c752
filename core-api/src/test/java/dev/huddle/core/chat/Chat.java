package dev.huddle.core.chat;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.huddle.testing.Tenants.TestUser;
import dev.huddle.testing.TestDatabase;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Chat API calls and database reads shared by the chat tests. */
final class Chat {

    static final String PROBLEM = "application/problem+json";
    static final String MESSAGES = "/v1/orgs/{orgId}/rooms/{roomId}/messages";
    static final String MESSAGE = MESSAGES + "/{messageId}";
    static final String REPLIES = MESSAGE + "/replies";

    private Chat() {
    }

    static RequestSpecification as(TestUser user) {
        return given().auth().oauth2(user.token());
    }

    static Response post(TestUser user, UUID org, UUID room, String body) {
        return post(user, org, room, body, null);
    }

    static Response post(TestUser user, UUID org, UUID room, String body, UUID parentId) {
        Map<String, Object> json = new HashMap<>();
        json.put("body", body);
        if (parentId != null) {
            json.put("parentId", parentId.toString());
        }
        return as(user).contentType("application/json").body(json).post(MESSAGES, org, room);
    }

    /** Posts and returns the new message's id, asserting 201. */
    static UUID posted(TestUser user, UUID org, UUID room, String body) {
        return posted(user, org, room, body, null);
    }

    static UUID posted(TestUser user, UUID org, UUID room, String body, UUID parentId) {
        Response response = post(user, org, room, body, parentId);
        response.then().statusCode(201);
        return UUID.fromString(response.path("id"));
    }

    static Response edit(TestUser user, UUID org, UUID room, UUID message, String body) {
        return as(user).contentType("application/json").body(Map.of("body", body)).patch(MESSAGE, org, room, message);
    }

    static Response delete(TestUser user, UUID org, UUID room, UUID message) {
        return as(user).delete(MESSAGE, org, room, message);
    }

    static long messageCount(UUID room) {
        return (Long) TestDatabase.value("SELECT count(*) FROM core.messages WHERE room_id = ?", room);
    }

    static long messageCountInOrg(UUID org) {
        return (Long) TestDatabase.value("SELECT count(*) FROM core.messages WHERE org_id = ?", org);
    }

    static String bodyOf(UUID message) {
        return (String) TestDatabase.value("SELECT body FROM core.messages WHERE id = ?", message);
    }

    /** The room channel's outbox events, oldest first: each its type and its data's id (message_id). */
    static List<Map<String, Object>> outbox(UUID room) {
        return TestDatabase.sql("""
                SELECT o.payload->>'type' AS type, o.payload->'data'->>'id' AS message_id
                FROM realtime.outbox o WHERE o.channel = ? ORDER BY o.id""", "room:" + room);
    }

    static long outboxCount(UUID room) {
        return (Long) TestDatabase.value("SELECT count(*) FROM realtime.outbox WHERE channel = ?", "room:" + room);
    }
}
