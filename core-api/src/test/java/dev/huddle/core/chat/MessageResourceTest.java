package dev.huddle.core.chat;

import static dev.huddle.core.chat.Chat.MESSAGE;
import static dev.huddle.core.chat.Chat.MESSAGES;
import static dev.huddle.core.chat.Chat.PROBLEM;
import static dev.huddle.core.chat.Chat.REPLIES;
import static dev.huddle.core.chat.Chat.as;
import static dev.huddle.core.chat.Chat.bodyOf;
import static dev.huddle.core.chat.Chat.delete;
import static dev.huddle.core.chat.Chat.edit;
import static dev.huddle.core.chat.Chat.messageCount;
import static dev.huddle.core.chat.Chat.outbox;
import static dev.huddle.core.chat.Chat.outboxCount;
import static dev.huddle.core.chat.Chat.post;
import static dev.huddle.core.chat.Chat.posted;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.huddle.testing.Tenants;
import dev.huddle.testing.Tenants.TestUser;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

@QuarkusTest
@TestProfile(ChatTestProfile.class)
class MessageResourceTest {

    private UUID org;
    private UUID room;
    private TestUser owner;
    private TestUser admin;
    private TestUser alice;
    private TestUser bob;

    @BeforeEach
    void tenants() {
        org = Tenants.org("Chatty");
        room = Tenants.room(org, "General");
        owner = Tenants.memberOf(org, "owner");
        admin = Tenants.memberOf(org, "admin");
        alice = Tenants.memberOf(org, "member");
        bob = Tenants.memberOf(org, "member");
    }

    @Test
    void aMemberPostsATrimmedMessageAndGets201WithItsLocation() {
        Response created = post(alice, org, room, "  Hello, room 👋\n");
        created.then().statusCode(201)
                .header("Location", endsWith("/v1/orgs/" + org + "/rooms/" + room + "/messages/" + created.path("id")))
                .body("body", equalTo("Hello, room 👋"))
                .body("roomId", equalTo(room.toString()))
                .body("authorId", equalTo(alice.id().toString()))
                .body("parentId", nullValue())
                .body("replyCount", equalTo(0));
        UUID id = UUID.fromString(created.path("id"));

        as(bob).get(created.header("Location")).then().statusCode(200)
                .body("id", equalTo(id.toString()))
                .body("body", equalTo("Hello, room 👋"));
        Map<String, Object> row = TestDatabase.sql(
                "SELECT org_id, room_id, author_id, body FROM core.messages WHERE id = ?", id).get(0);
        assertEquals(org, row.get("org_id"));
        assertEquals(room, row.get("room_id"));
        assertEquals(alice.id(), row.get("author_id"));
        assertEquals("Hello, room 👋", row.get("body"));
    }

    @Test
    void historyPagesThroughEveryMessageNewestFirstWithoutDuplicatesOrGaps() {
        List<String> postedIds = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            postedIds.add(posted(i % 2 == 0 ? alice : bob, org, room, "message " + i).toString());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        List<Integer> pageSizes = new ArrayList<>();
        do {
            var request = as(bob).queryParam("limit", 3);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response page = request.get(MESSAGES, org, room);
            page.then().statusCode(200);
            List<String> ids = page.path("items.id");
            pageSizes.add(ids.size());
            seen.addAll(ids);
            cursor = page.path("nextCursor");
        } while (cursor != null && pageSizes.size() < 10);

        assertEquals(List.of(3, 3, 1), pageSizes);
        assertEquals(7, new HashSet<>(seen).size());
        List<String> newestFirst = new ArrayList<>(postedIds);
        Collections.reverse(newestFirst);
        assertEquals(newestFirst, seen);
    }

    @Test
    void anEmptyRoomHasAnEmptyLastPage() {
        as(alice).get(MESSAGES, org, room).then().statusCode(200)
                .body("items", empty())
                .body("nextCursor", nullValue());
    }

    @Test
    void repliesAreCountedOnTheParentAndListedInItsThreadNotInTheHistory() {
        UUID parent = posted(alice, org, room, "Lunch?");
        UUID other = posted(bob, org, room, "Unrelated");
        UUID first = posted(bob, org, room, "Yes", parent);
        UUID second = posted(admin, org, room, "Noon", parent);
        UUID third = posted(alice, org, room, "Great", parent);

        as(bob).get(MESSAGE, org, room, parent).then().statusCode(200).body("replyCount", equalTo(3));
        as(bob).get(MESSAGES, org, room).then().statusCode(200)
                .body("items.id", contains(other.toString(), parent.toString()))
                .body("items.replyCount", contains(0, 3));
        as(bob).get(REPLIES, org, room, parent).then().statusCode(200)
                .body("items.id", contains(third.toString(), second.toString(), first.toString()))
                .body("items.parentId", contains(parent.toString(), parent.toString(), parent.toString()))
                .body("nextCursor", nullValue());

        Response page1 = as(bob).queryParam("limit", 2).get(REPLIES, org, room, parent);
        page1.then().statusCode(200).body("items.id", contains(third.toString(), second.toString()));
        as(bob).queryParam("limit", 2).queryParam("cursor", (String) page1.path("nextCursor"))
                .get(REPLIES, org, room, parent)
                .then().statusCode(200)
                .body("items.id", contains(first.toString()))
                .body("nextCursor", nullValue());
        assertEquals(3, TestDatabase.value("SELECT reply_count FROM core.messages WHERE id = ?", parent));
    }

    @Test
    void aReplyToAReplyIsRefusedBecauseThreadsAreOneLevelDeep() {
        UUID parent = posted(alice, org, room, "Topic");
        UUID reply = posted(bob, org, room, "Reply", parent);
        long before = messageCount(room);

        post(alice, org, room, "Nested", reply).then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", contains("parentId"));
        assertEquals(before, messageCount(room));
        assertEquals(1, TestDatabase.value("SELECT reply_count FROM core.messages WHERE id = ?", parent));
        assertEquals(0, TestDatabase.value("SELECT reply_count FROM core.messages WHERE id = ?", reply));
        as(alice).get(REPLIES, org, room, reply).then().statusCode(200).body("items", empty());
    }

    @Test
    void theAuthorEditsTheirMessageAndUpdatedAtChanges() {
        Response created = post(alice, org, room, "Standup at 10");
        UUID id = UUID.fromString(created.path("id"));
        OffsetDateTime createdAt = OffsetDateTime.parse(created.path("createdAt"));
        assertEquals(createdAt, OffsetDateTime.parse(created.path("updatedAt")));

        Response edited = edit(alice, org, room, id, "  Standup at 10:30 ");
        edited.then().statusCode(200)
                .body("id", equalTo(id.toString()))
                .body("body", equalTo("Standup at 10:30"))
                .body("createdAt", equalTo(created.path("createdAt")));
        assertTrue(OffsetDateTime.parse(edited.path("updatedAt")).isAfter(createdAt));
        assertEquals("Standup at 10:30", bodyOf(id));
        assertEquals(Boolean.TRUE,
                TestDatabase.value("SELECT updated_at > created_at FROM core.messages WHERE id = ?", id));
    }

    @Test
    void editingAnotherMembersMessageIs403EvenForAdminsAndOwners() {
        UUID id = posted(alice, org, room, "Mine");
        for (TestUser other : new TestUser[] { bob, admin, owner }) {
            edit(other, org, room, id, "Theirs").then().statusCode(403).contentType(PROBLEM)
                    .body("type", equalTo("urn:huddle:problem:forbidden"));
        }
        assertEquals("Mine", bodyOf(id));
        assertEquals(Boolean.TRUE,
                TestDatabase.value("SELECT updated_at = created_at FROM core.messages WHERE id = ?", id));
    }

    @Test
    void theAuthorDeletesTheirMessage() {
        UUID id = posted(alice, org, room, "Oops");
        delete(alice, org, room, id).then().statusCode(204);
        as(alice).get(MESSAGE, org, room, id).then().statusCode(404).contentType(PROBLEM)
                .body("detail", equalTo("message not found"));
        delete(alice, org, room, id).then().statusCode(404);
        assertEquals(0, messageCount(room));
    }

    @Test
    void adminsAndOwnersDeleteAnyMessage() {
        UUID first = posted(alice, org, room, "First");
        UUID second = posted(bob, org, room, "Second");
        delete(admin, org, room, first).then().statusCode(204);
        delete(owner, org, room, second).then().statusCode(204);
        assertEquals(0, messageCount(room));
    }

    @Test
    void aMemberCannotDeleteAnotherMembersMessage() {
        UUID id = posted(alice, org, room, "Keep me");
        delete(bob, org, room, id).then().statusCode(403).contentType(PROBLEM)
                .body("type", equalTo("urn:huddle:problem:forbidden"));
        assertEquals(1, messageCount(room));
    }

    @Test
    void deletingAReplyUncountsItAndDeletingATopLevelMessageDeletesItsThread() {
        UUID parent = posted(alice, org, room, "Thread");
        UUID keep = posted(bob, org, room, "Reply 1", parent);
        UUID gone = posted(bob, org, room, "Reply 2", parent);

        delete(bob, org, room, gone).then().statusCode(204);
        as(alice).get(MESSAGE, org, room, parent).then().body("replyCount", equalTo(1));
        as(alice).get(REPLIES, org, room, parent).then().body("items.id", contains(keep.toString()));

        delete(alice, org, room, parent).then().statusCode(204);
        assertEquals(0, messageCount(room));
        as(alice).get(REPLIES, org, room, parent).then().statusCode(404).body("detail", equalTo("message not found"));
    }

    @Test
    void aDeletedAuthorsMessagesStayWithNoAuthor() {
        TestUser leaver = Tenants.memberOf(org, "member");
        UUID id = posted(leaver, org, room, "Bye");
        TestDatabase.sql("DELETE FROM core.users WHERE id = ?", leaver.id());

        as(alice).get(MESSAGE, org, room, id).then().statusCode(200)
                .body("authorId", nullValue())
                .body("body", equalTo("Bye"));
        // nobody is its author any more: only a moderator may delete it
        delete(alice, org, room, id).then().statusCode(403);
        edit(alice, org, room, id, "Hijack").then().statusCode(403);
        delete(admin, org, room, id).then().statusCode(204);
    }

    @Test
    void deletingTheRoomDeletesItsMessages() {
        UUID parent = posted(alice, org, room, "Soon gone");
        posted(bob, org, room, "Me too", parent);
        TestDatabase.sql("DELETE FROM core.rooms WHERE id = ?", room);
        assertEquals(0, messageCount(room));
    }

    @Test
    void eachWriteLeavesExactlyOneOutboxEventOnTheRoomChannel() {
        Response created = post(alice, org, room, "Announce me");
        String id = created.path("id");
        assertEquals(List.of(Map.of("type", "message.created", "message_id", id)), typesAndIds(outbox(room)));
        Map<String, Object> data = TestDatabase.sql(
                "SELECT payload->'data' AS data FROM realtime.outbox WHERE channel = ?", "room:" + room).get(0);
        assertTrue(data.get("data").toString().contains("\"body\": \"Announce me\""), data.toString());

        String reply = posted(bob, org, room, "Reply", UUID.fromString(id)).toString();
        edit(alice, org, room, UUID.fromString(id), "Announced").then().statusCode(200);
        delete(bob, org, room, UUID.fromString(reply)).then().statusCode(204);
        delete(admin, org, room, UUID.fromString(id)).then().statusCode(204);

        assertEquals(List.of(
                Map.of("type", "message.created", "message_id", id),
                Map.of("type", "message.created", "message_id", reply),
                Map.of("type", "message.updated", "message_id", id),
                Map.of("type", "message.deleted", "message_id", reply),
                Map.of("type", "message.deleted", "message_id", id)), typesAndIds(outbox(room)));
    }

    @Test
    void refusedWritesAnnounceNothing() {
        UUID id = posted(alice, org, room, "Quiet");
        long before = outboxCount(room);
        edit(bob, org, room, id, "Loud").then().statusCode(403);
        delete(bob, org, room, id).then().statusCode(403);
        post(alice, org, room, "   ").then().statusCode(400);
        post(alice, org, room, "Nested", UUID.randomUUID()).then().statusCode(400);
        assertEquals(before, outboxCount(room));
        assertNotEquals(0, before);
    }

    @Test
    void aCursorThatIsNotOneOfOursIs400() {
        as(alice).queryParam("cursor", "not-a-cursor").get(MESSAGES, org, room).then().statusCode(400)
                .contentType(PROBLEM).body("errors.field", contains("cursor"));
    }

    private static List<Map<String, Object>> typesAndIds(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> Map.of("type", r.get("type"), "message_id", r.get("message_id"))).toList();
    }
}
