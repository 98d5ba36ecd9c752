package dev.huddle.core.chat;

import static dev.huddle.core.chat.Chat.messageCount;
import static dev.huddle.core.chat.Chat.outboxCount;
import static dev.huddle.core.chat.Chat.post;
import static dev.huddle.core.chat.Chat.posted;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.huddle.testing.Tenants;
import dev.huddle.testing.Tenants.TestUser;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** 20 messages per member and org per period; the profile makes the period an hour so refill cannot interfere. */
@QuarkusTest
@TestProfile(ChatTestProfile.class)
class MessageRateLimitTest {

    @Test
    void the21stPostWithinThePeriodIs429WithRetryAfterAndWritesNothing() {
        UUID org = Tenants.org("Busy");
        UUID room = Tenants.room(org, "General");
        UUID otherRoom = Tenants.room(org, "Random");
        TestUser chatty = Tenants.memberOf(org, "member");
        for (int i = 0; i < 20; i++) {
            // other rooms count too: the limit is per member and org
            posted(chatty, org, i % 2 == 0 ? room : otherRoom, "message " + i);
        }

        Response refused = post(chatty, org, room, "one too many");
        refused.then().statusCode(429).contentType(Chat.PROBLEM)
                .body("type", equalTo("urn:huddle:problem:rate-limited"))
                .body("status", equalTo(429));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        // one token per 3600 s / 20 = 180 s
        assertTrue(retryAfter >= 1 && retryAfter <= 180, "Retry-After " + retryAfter);
        assertEquals(10, messageCount(room));
        assertEquals(10, outboxCount(room));

        UUID parent = (UUID) TestDatabase.value("SELECT id FROM core.messages WHERE room_id = ? LIMIT 1", room);
        post(chatty, org, room, "a reply", parent).then().statusCode(429);
        assertEquals(0, TestDatabase.value("SELECT reply_count FROM core.messages WHERE id = ?", parent));
        assertEquals(10, messageCount(room));
    }

    @Test
    void anotherMemberOfTheOrgIsNotLimitedNorIsTheSameMemberInAnotherOrg() {
        UUID org = Tenants.org("Busy");
        UUID room = Tenants.room(org, "General");
        TestUser chatty = Tenants.memberOf(org, "member");
        TestUser quiet = Tenants.memberOf(org, "member");
        UUID otherOrg = Tenants.org("Elsewhere");
        UUID otherOrgRoom = Tenants.room(otherOrg, "General");
        Tenants.member(otherOrg, chatty, "member", "active");
        for (int i = 0; i < 20; i++) {
            posted(chatty, org, room, "message " + i);
        }
        post(chatty, org, room, "limited").then().statusCode(429);

        post(quiet, org, room, "my first").then().statusCode(201);
        post(chatty, otherOrg, otherOrgRoom, "hello elsewhere").then().statusCode(201);
        assertEquals(21, messageCount(room));
    }

    @Test
    void aRefusedPostDoesNotSpendAToken() {
        UUID org = Tenants.org("Careful");
        UUID room = Tenants.room(org, "General");
        TestUser member = Tenants.memberOf(org, "member");
        for (int i = 0; i < 5; i++) {
            post(member, org, room, "   ").then().statusCode(400); // refused before the limiter
            post(member, org, room, "orphan", UUID.randomUUID()).then().statusCode(400); // rolled back after it
        }
        for (int i = 0; i < 20; i++) {
            posted(member, org, room, "message " + i);
        }
        post(member, org, room, "limited").then().statusCode(429);
        assertEquals(20, messageCount(room));
    }

    @Test
    void theBucketRefillsOverThePeriod() {
        UUID org = Tenants.org("Patient");
        UUID room = Tenants.room(org, "General");
        TestUser member = Tenants.memberOf(org, "member");
        for (int i = 0; i < 20; i++) {
            posted(member, org, room, "message " + i);
        }
        post(member, org, room, "limited").then().statusCode(429);
        // as if 180 s (one token's worth of the one-hour period) had passed
        TestDatabase.sql("UPDATE core.rate_limits SET refilled_at = refilled_at - interval '181 seconds' "
                + "WHERE bucket = 'chat-posts' AND subject = ?", org + "|" + member.id());
        post(member, org, room, "refilled").then().statusCode(201);
        post(member, org, room, "limited again").then().statusCode(429);
    }
}
