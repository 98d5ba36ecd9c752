package dev.huddle.core.chat;

import static dev.huddle.core.chat.Chat.MESSAGE;
import static dev.huddle.core.chat.Chat.MESSAGES;
import static dev.huddle.core.chat.Chat.PROBLEM;
import static dev.huddle.core.chat.Chat.REPLIES;
import static dev.huddle.core.chat.Chat.bodyOf;
import static dev.huddle.core.chat.Chat.messageCount;
import static dev.huddle.core.chat.Chat.outboxCount;
import static dev.huddle.core.chat.Chat.posted;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.huddle.testing.Tenants;
import dev.huddle.testing.Tenants.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
@TestProfile(ChatTestProfile.class)
class MessageTenancyTest {

    private UUID org;
    private UUID room;
    private TestUser member;
    private TestUser admin;
    private UUID parent;
    private UUID reply;

    @BeforeEach
    void tenants() {
        org = Tenants.org("Ours");
        room = Tenants.room(org, "General");
        member = Tenants.memberOf(org, "member");
        admin = Tenants.memberOf(org, "admin");
        parent = posted(member, org, room, "Private");
        reply = posted(member, org, room, "Also private", parent);
    }

    /** Every chat operation on one message of one room, in one org, as a request. */
    private static List<Function<RequestSpecification, Response>> everyOperation(Object orgId, Object roomId,
            Object messageId) {
        return List.of(
                r -> r.contentType("application/json").body("{\"body\": \"hi\"}").post(MESSAGES, orgId, roomId),
                r -> r.contentType("application/json").body("{\"body\": \"hi\", \"parentId\": \"" + messageId + "\"}")
                        .post(MESSAGES, orgId, roomId),
                r -> r.get(MESSAGES, orgId, roomId),
                r -> r.get(MESSAGE, orgId, roomId, messageId),
                r -> r.get(REPLIES, orgId, roomId, messageId),
                r -> r.contentType("application/json").body("{\"body\": \"hi\"}").patch(MESSAGE, orgId, roomId, messageId),
                r -> r.delete(MESSAGE, orgId, roomId, messageId));
    }

    @Test
    void aMemberOfAnotherOrgGets404OnEveryOperationAndChangesNothing() {
        TestUser outsider = Tenants.memberOf(Tenants.org("Theirs"), "owner");
        long events = outboxCount(room);
        for (var operation : everyOperation(org, room, parent)) {
            operation.apply(given().auth().oauth2(outsider.token())).then().statusCode(404).contentType(PROBLEM)
                    .body("detail", equalTo("organization not found"));
        }
        assertEquals(2, messageCount(room));
        assertEquals("Private", bodyOf(parent));
        assertEquals(events, outboxCount(room));
    }

    @Test
    void inactiveAndPendingMembersGet404() {
        TestUser inactive = Tenants.user();
        TestUser pending = Tenants.user();
        Tenants.member(org, inactive, "admin", "inactive");
        Tenants.member(org, pending, "admin", "pending");
        for (TestUser user : List.of(inactive, pending)) {
            for (var operation : everyOperation(org, room, parent)) {
                operation.apply(given().auth().oauth2(user.token())).then().statusCode(404);
            }
        }
        assertEquals(2, messageCount(room));
    }

    @Test
    void aRoomOfAnotherOrgUnderOurOrgIdIs404() {
        UUID theirOrg = Tenants.org("Theirs");
        UUID theirRoom = Tenants.room(theirOrg, "Their room");
        TestUser them = Tenants.memberOf(theirOrg, "member");
        UUID theirMessage = posted(them, theirOrg, theirRoom, "Theirs");
        long events = outboxCount(theirRoom);

        for (TestUser caller : List.of(member, admin)) {
            for (var operation : everyOperation(org, theirRoom, theirMessage)) {
                operation.apply(given().auth().oauth2(caller.token())).then().statusCode(404).contentType(PROBLEM)
                        .body("detail", equalTo("room not found"));
            }
        }
        assertEquals(1, messageCount(theirRoom));
        assertEquals("Theirs", bodyOf(theirMessage));
        assertEquals(events, outboxCount(theirRoom));
    }

    @Test
    void aMessageOfAnotherRoomUnderThisRoomIs404() {
        UUID otherRoom = Tenants.room(org, "Other");
        for (var operation : everyOperation(org, otherRoom, parent).subList(3, 7)) {
            operation.apply(given().auth().oauth2(admin.token())).then().statusCode(404).contentType(PROBLEM)
                    .body("detail", equalTo("message not found"));
        }
        assertEquals(2, messageCount(room));
        assertEquals("Private", bodyOf(parent));
    }

    @Test
    void aMessageOfAnotherOrgUnderOurRoomIs404() {
        UUID theirOrg = Tenants.org("Theirs");
        UUID theirRoom = Tenants.room(theirOrg, "Their room");
        UUID theirMessage = posted(Tenants.memberOf(theirOrg, "member"), theirOrg, theirRoom, "Theirs");
        for (var operation : everyOperation(org, room, theirMessage).subList(3, 7)) {
            operation.apply(given().auth().oauth2(admin.token())).then().statusCode(404)
                    .body("detail", equalTo("message not found"));
        }
        assertEquals("Theirs", bodyOf(theirMessage));
    }

    @Test
    void noTokenIs401OnEveryOperation() {
        for (var operation : everyOperation(org, room, reply)) {
            operation.apply(given()).then().statusCode(401).contentType(PROBLEM)
                    .header("WWW-Authenticate", "Bearer");
        }
        for (var operation : everyOperation("not-a-uuid", "nope", "nope")) {
            operation.apply(given()).then().statusCode(401);
        }
        assertEquals(2, messageCount(room));
    }
}
