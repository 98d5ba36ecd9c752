package dev.huddle.core.chat;

import static dev.huddle.core.chat.Chat.MESSAGE;
import static dev.huddle.core.chat.Chat.MESSAGES;
import static dev.huddle.core.chat.Chat.PROBLEM;
import static dev.huddle.core.chat.Chat.REPLIES;
import static dev.huddle.core.chat.Chat.as;
import static dev.huddle.core.chat.Chat.bodyOf;
import static dev.huddle.core.chat.Chat.messageCount;
import static dev.huddle.core.chat.Chat.messageCountInOrg;
import static dev.huddle.core.chat.Chat.outboxCount;
import static dev.huddle.core.chat.Chat.post;
import static dev.huddle.core.chat.Chat.posted;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.huddle.testing.Tenants;
import dev.huddle.testing.Tenants.TestUser;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
@TestProfile(ChatTestProfile.class)
class MessageInputTest {

    private static final String SOME_ID = "0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e";

    private UUID org;
    private UUID room;
    private TestUser member;
    private UUID existing;

    @BeforeEach
    void tenants() {
        org = Tenants.org("Strict");
        room = Tenants.room(org, "General");
        member = Tenants.memberOf(org, "member");
        existing = posted(member, org, room, "Existing");
    }

    static Stream<String> badPostBodies() {
        return Stream.of(
                "{", // malformed
                "not json",
                "{\"body\": \"ok\"} trailing",
                "", // no body at all
                "null",
                "[]", // wrong shape
                "\"ok\"",
                "{\"body\": 5}", // wrong types
                "{\"body\": true}",
                "{\"body\": [\"ok\"]}",
                "{\"body\": {\"text\": \"ok\"}}",
                "{\"body\": null}",
                "{}",
                "{\"body\": \"ok\", \"parentId\": 5}",
                "{\"body\": \"ok\", \"parentId\": \"not-a-uuid\"}", // invalid ids
                "{\"body\": \"ok\", \"parentId\": \"1-1-1-1-1\"}",
                "{\"body\": \"ok\", \"parentId\": \"\"}",
                "{\"body\": \"ok\", \"parentId\": \" \"}",
                "{\"body\": \"ok\", \"authorId\": \"" + SOME_ID + "\"}", // unknown fields
                "{\"body\": \"ok\", \"replyCount\": 3}",
                "{\"body\": \"a\", \"body\": \"b\"}", // a key twice
                "{\"body\": \"\"}", // empty, blank
                "{\"body\": \"   \"}",
                "{\"body\": \" \\n\\t\\r \"}",
                "{\"body\": \"\\u3000\\u2003\"}", // Unicode spaces only
                "{\"body\": \"" + "a".repeat(4001) + "\"}", // too long
                "{\"body\": \"" + "🎥".repeat(4001) + "\"}",
                "{\"body\": \"a\\u0000b\"}", // unstorable
                "{\"body\": \"\\ud800\"}",
                "{\"body\": \"ok\", \"parentId\": \"" + SOME_ID + "\"}"); // no such parent
    }

    @ParameterizedTest
    @MethodSource("badPostBodies")
    void aBadPostIs400AndWritesNothing(String body) {
        long messages = messageCount(room);
        long events = outboxCount(room);

        as(member).contentType("application/json").body(body).post(MESSAGES, org, room)
                .then().statusCode(400).contentType(PROBLEM)
                .body("status", equalTo(400))
                .body(not(containsString("Exception")))
                .body(not(containsString("dev.huddle")));

        assertEquals(messages, messageCount(room));
        assertEquals(events, outboxCount(room));
    }

    @Test
    void theLimitsCountCharactersAfterTrimming() {
        // 4000 emoji are 8000 UTF-16 units, still 4000 characters
        post(member, org, room, "🎥".repeat(4000)).then().statusCode(201);
        post(member, org, room, "\n " + "a".repeat(4000) + " \t").then().statusCode(201)
                .body("body", equalTo("a".repeat(4000)));
        post(member, org, room, "x").then().statusCode(201);
        post(member, org, room, "a".repeat(4001)).then().statusCode(400)
                .body("errors.field", hasItem("body"));
    }

    @Test
    void aParentFromAnotherRoomIs400AndWritesNothing() {
        UUID otherRoom = Tenants.room(org, "Random");
        UUID foreignParent = posted(member, org, otherRoom, "Over here");
        long here = messageCount(room);
        long there = messageCount(otherRoom);

        post(member, org, room, "Reply", foreignParent).then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("parentId"));

        assertEquals(here, messageCount(room));
        assertEquals(there, messageCount(otherRoom));
        assertEquals(0, TestDatabase.value("SELECT reply_count FROM core.messages WHERE id = ?", foreignParent));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "{}", "{\"body\": \"  \"}", "{\"body\": 7}", "{\"body\": \"x\", \"parentId\": null}",
            "{\"body\": \"a\\u0000b\"}", "not json" })
    void aBadEditIs400AndChangesNothing(String body) {
        long events = outboxCount(room);
        as(member).contentType("application/json").body(body).patch(MESSAGE, org, room, existing)
                .then().statusCode(400).contentType(PROBLEM);
        assertEquals("Existing", bodyOf(existing));
        assertEquals(events, outboxCount(room));
    }

    @Test
    void anEditLongerThan4000CharactersIs400() {
        Chat.edit(member, org, room, existing, "b".repeat(4001)).then().statusCode(400)
                .body("errors.field", hasItem("body"));
        assertEquals("Existing", bodyOf(existing));
    }

    @Test
    void invalidIdsInThePathAre400() {
        for (String badRoom : new String[] { "not-a-uuid", "42" }) {
            check(as(member).contentType("application/json").body("{\"body\": \"ok\"}")
                    .post(MESSAGES, org, badRoom).then());
            check(as(member).get(MESSAGES, org, badRoom).then());
        }
        for (String badMessage : new String[] { "not-a-uuid", "42" }) {
            check(as(member).get(MESSAGE, org, room, badMessage).then());
            check(as(member).get(REPLIES, org, room, badMessage).then());
            check(as(member).contentType("application/json").body("{\"body\": \"ok\"}")
                    .patch(MESSAGE, org, room, badMessage).then());
            check(as(member).delete(MESSAGE, org, room, badMessage).then());
        }
        check(as(member).contentType("application/json").body("{\"body\": \"ok\"}")
                .post(MESSAGES, "nope", room).then());
        assertEquals(1, messageCountInOrg(org));
        assertEquals("Existing", bodyOf(existing));
    }

    @Test
    void badPagingParametersAre400() {
        for (Object limit : new Object[] { 0, 101, -1, "ten", 2.5 }) {
            as(member).queryParam("limit", limit).get(MESSAGES, org, room).then().statusCode(400).contentType(PROBLEM);
            as(member).queryParam("limit", limit).get(REPLIES, org, room, existing).then().statusCode(400);
        }
        as(member).queryParam("cursor", "djF8MTIzfG5vcGU").get(MESSAGES, org, room).then().statusCode(400)
                .body("errors.field", hasItem("cursor"));
        as(member).queryParam("limit", 100).get(MESSAGES, org, room).then().statusCode(200);
        as(member).queryParam("limit", 1).get(MESSAGES, org, room).then().statusCode(200);
    }

    @Test
    void aBodyThatIsNotJsonIs415AndWritesNothing() {
        as(member).contentType("text/plain").body("hello").post(MESSAGES, org, room).then().statusCode(415)
                .contentType(PROBLEM);
        assertEquals(1, messageCount(room));
    }

    private static void check(ValidatableResponse response) {
        response.statusCode(400).contentType(PROBLEM);
    }
}
