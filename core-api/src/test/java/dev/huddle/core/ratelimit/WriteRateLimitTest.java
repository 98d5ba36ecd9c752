package dev.huddle.core.ratelimit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
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

/** One write rate limit, per user and org, on every write route (#12). */
@QuarkusTest
@TestProfile(BoundsTestProfile.class)
class WriteRateLimitTest {

    private static Response rename(TestUser user, UUID org, UUID room, String name) {
        return given().auth().oauth2(user.token()).contentType("application/json").body("{\"name\": \"" + name + "\"}")
                .when().patch("/v1/orgs/{orgId}/rooms/{roomId}", org, room);
    }

    private static String roomName(UUID room) {
        return (String) TestDatabase.value("SELECT name FROM core.rooms WHERE id = ?", room);
    }

    @Test
    void aFloodOfRoomRenamesIs429WithRetryAfterOnceTheLimitIsSpentAndChangesNothing() {
        UUID org = Tenants.org("Flooded");
        UUID room = Tenants.room(org, "General");
        TestUser admin = Tenants.memberOf(org, "admin");
        for (int i = 0; i < BoundsTestProfile.WRITES; i++) {
            rename(admin, org, room, "Name " + i).then().statusCode(200);
        }

        Response refused = rename(admin, org, room, "One too many");

        refused.then().statusCode(429).contentType("application/problem+json")
                .body("type", equalTo("urn:huddle:problem:rate-limited")).body("status", equalTo(429));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        // one token per 86400 s / 250 = 345.6 s
        assertTrue(retryAfter >= 1 && retryAfter <= 346, "Retry-After " + retryAfter);
        assertEquals("Name " + (BoundsTestProfile.WRITES - 1), roomName(room));
    }

    @Test
    void everyWriteRouteSharesTheBucketOfItsUserInItsOrg() {
        UUID org = Tenants.org("Shared");
        UUID room = Tenants.room(org, "General");
        TestUser admin = Tenants.memberOf(org, "admin");
        TestUser otherAdmin = Tenants.memberOf(org, "admin");
        UUID otherOrg = Tenants.org("Elsewhere");
        UUID otherRoom = Tenants.room(otherOrg, "General");
        Tenants.member(otherOrg, admin, "admin", "active");
        // three writes left in the admin's bucket in this org
        TestDatabase.sql("INSERT INTO core.rate_limits (bucket, subject, tokens, refilled_at) VALUES ('writes', ?, 3, now())",
                admin.workosUserId() + "|" + org);

        String message = given().auth().oauth2(admin.token()).contentType("application/json").body("{\"body\": \"hi\"}")
                .when().post("/v1/orgs/{orgId}/rooms/{roomId}/messages", org, room).then().statusCode(201)
                .extract().path("id");
        given().auth().oauth2(admin.token()).contentType("application/json").body("{\"body\": \"edited\"}")
                .when().patch("/v1/orgs/{orgId}/rooms/{roomId}/messages/{messageId}", org, room, message)
                .then().statusCode(200);
        given().auth().oauth2(admin.token()).contentType("application/json").body("{\"name\": \"Another\"}")
                .when().post("/v1/orgs/{orgId}/rooms", org).then().statusCode(201);

        given().auth().oauth2(admin.token())
                .when().delete("/v1/orgs/{orgId}/rooms/{roomId}/messages/{messageId}", org, room, message)
                .then().statusCode(429).header("Retry-After", notNullValue());
        given().auth().oauth2(admin.token()).contentType("application/json").body("{\"name\": \"Renamed\"}")
                .when().patch("/v1/orgs/{orgId}", org).then().statusCode(429);
        given().auth().oauth2(admin.token()).contentType("application/json").body("{\"role\": \"member\"}")
                .when().patch("/v1/orgs/{orgId}/members/{userId}", org, otherAdmin.id()).then().statusCode(429);
        assertEquals(1L, ((Number) TestDatabase.value("SELECT count(*) FROM core.messages WHERE id = ?::uuid", message))
                .longValue());
        assertEquals("Shared", TestDatabase.value("SELECT name FROM core.organizations WHERE id = ?", org));
        assertEquals("admin", TestDatabase.value("SELECT role FROM core.memberships WHERE org_id = ? AND user_id = ?",
                org, otherAdmin.id()));

        // reads are not limited; nor is another user of the org, nor the same user in another org
        given().auth().oauth2(admin.token()).when().get("/v1/orgs/{orgId}/rooms", org).then().statusCode(200);
        rename(otherAdmin, org, room, "By the other admin").then().statusCode(200);
        rename(admin, otherOrg, otherRoom, "Elsewhere").then().statusCode(200);
    }

    @Test
    void aCallerOutsideTheOrgStillGets404NotAWordAboutLimits() {
        UUID org = Tenants.org("Closed");
        UUID room = Tenants.room(org, "General");
        TestUser outsider = Tenants.memberOf(Tenants.org("Outside"), "owner");
        TestDatabase.sql("INSERT INTO core.rate_limits (bucket, subject, tokens, refilled_at) VALUES ('writes', ?, 0, now())",
                outsider.workosUserId() + "|" + org);

        rename(outsider, org, room, "Mine now").then().statusCode(404);
    }
}
