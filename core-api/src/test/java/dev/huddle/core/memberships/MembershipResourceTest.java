package dev.huddle.core.memberships;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.huddle.testing.Tenants;
import dev.huddle.testing.Tenants.TestUser;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class MembershipResourceTest {

    private UUID org;
    private TestUser owner;
    private TestUser admin;
    private TestUser member;

    @BeforeEach
    void org() {
        org = Tenants.org("Team");
        owner = Tenants.memberOf(org, "owner");
        admin = Tenants.memberOf(org, "admin");
        member = Tenants.memberOf(org, "member");
    }

    @Test
    void roleRules() {
        // an admin does not touch owners
        given().auth().oauth2(admin.token()).contentType("application/json").body("{\"role\": \"member\"}")
                .patch("/v1/orgs/{orgId}/members/{userId}", org, owner.id()).then().statusCode(403);
        given().auth().oauth2(admin.token()).delete("/v1/orgs/{orgId}/members/{userId}", org, owner.id())
                .then().statusCode(403);
        // an owner does
        given().auth().oauth2(owner.token()).contentType("application/json").body("{\"role\": \"owner\"}")
                .patch("/v1/orgs/{orgId}/members/{userId}", org, admin.id()).then().statusCode(200)
                .body("role", equalTo("owner"));
        // a member cannot remove another member, but may leave
        TestUser other = Tenants.memberOf(org, "member");
        given().auth().oauth2(member.token()).delete("/v1/orgs/{orgId}/members/{userId}", org, other.id())
                .then().statusCode(403);
        given().auth().oauth2(member.token()).delete("/v1/orgs/{orgId}/members/{userId}", org, member.id())
                .then().statusCode(204);
        given().auth().oauth2(member.token()).get("/v1/orgs/{orgId}", org).then().statusCode(404);
    }

    @Test
    void theLastOwnerCannotBeDemotedDeactivatedOrRemoved() {
        for (String body : new String[] { "{\"role\": \"admin\"}", "{\"status\": \"inactive\"}" }) {
            given().auth().oauth2(owner.token()).contentType("application/json").body(body)
                    .patch("/v1/orgs/{orgId}/members/{userId}", org, owner.id()).then().statusCode(409)
                    .body("type", equalTo("urn:huddle:problem:last-owner"));
        }
        given().auth().oauth2(owner.token()).delete("/v1/orgs/{orgId}/members/{userId}", org, owner.id())
                .then().statusCode(409);
        // with a second owner, the first may step down
        given().auth().oauth2(owner.token()).contentType("application/json").body("{\"role\": \"owner\"}")
                .patch("/v1/orgs/{orgId}/members/{userId}", org, admin.id()).then().statusCode(200);
        given().auth().oauth2(owner.token()).contentType("application/json").body("{\"role\": \"member\"}")
                .patch("/v1/orgs/{orgId}/members/{userId}", org, owner.id()).then().statusCode(200)
                .body("role", equalTo("member"));
    }

    @Test
    void deactivatingFreesASeatAndKeepsHistoryAndANoOpChangesNothing() {
        given().auth().oauth2(admin.token()).contentType("application/json").body("{\"status\": \"inactive\"}")
                .patch("/v1/orgs/{orgId}/members/{userId}", org, member.id()).then().statusCode(200)
                .body("status", equalTo("inactive"));
        given().auth().oauth2(admin.token()).contentType("application/json").body("{\"status\": \"inactive\"}")
                .patch("/v1/orgs/{orgId}/members/{userId}", org, member.id()).then().statusCode(200);
        assertEquals(1L, count("SELECT count(*) FROM core.membership_history WHERE org_id = ? AND user_id = ?", org,
                member.id()));
        assertEquals(1L, count("SELECT count(*) FROM billing.seat_changes WHERE org_id = ?", org));
        given().auth().oauth2(member.token()).get("/v1/orgs/{orgId}", org).then().statusCode(404);

        given().auth().oauth2(admin.token()).get("/v1/orgs/{orgId}/members/history", org).then().statusCode(200)
                .body("items.toStatus", contains("inactive"))
                .body("items.fromStatus", contains("active"));
    }

    @Test
    void membersListNewestFirstAcrossPagesAndByStatus() {
        String cursor = given().auth().oauth2(member.token()).queryParam("limit", 2)
                .get("/v1/orgs/{orgId}/members", org).then().statusCode(200)
                .body("items.userId", contains(member.id().toString(), admin.id().toString()))
                .extract().path("nextCursor");
        given().auth().oauth2(member.token()).queryParam("limit", 2).queryParam("cursor", cursor)
                .get("/v1/orgs/{orgId}/members", org).then().statusCode(200)
                .body("items.userId", contains(owner.id().toString()))
                .body("nextCursor", nullValue());
        given().auth().oauth2(member.token()).queryParam("status", "inactive")
                .get("/v1/orgs/{orgId}/members", org).then().statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void historyPagesNewestFirstWithItsOwnCursor() {
        for (String action : new String[] { "deactivate", "reactivate", "deactivate" }) {
            given().auth().oauth2(admin.token()).post("/v1/orgs/{orgId}/members/{userId}/" + action, org, member.id())
                    .then().statusCode(200);
        }
        var first = given().auth().oauth2(admin.token()).queryParam("limit", 2)
                .get("/v1/orgs/{orgId}/members/history", org).then().statusCode(200)
                .body("items.toStatus", contains("inactive", "active")).extract().jsonPath();
        String cursor = first.getString("nextCursor");
        var second = given().auth().oauth2(admin.token()).queryParam("limit", 2).queryParam("cursor", cursor)
                .get("/v1/orgs/{orgId}/members/history", org).then().statusCode(200)
                .body("items.toStatus", contains("inactive"))
                .body("nextCursor", nullValue()).extract().jsonPath();
        List<Long> ids = new ArrayList<>(first.getList("items.id", Long.class));
        ids.addAll(second.getList("items.id", Long.class));
        assertEquals(ids.stream().sorted(Comparator.reverseOrder()).distinct().toList(), ids, "newest first, once each");

        // a cursor of the members' list is not one of the history's, nor the other way round
        String membersCursor = given().auth().oauth2(admin.token()).queryParam("limit", 1)
                .get("/v1/orgs/{orgId}/members", org).then().statusCode(200).extract().path("nextCursor");
        given().auth().oauth2(admin.token()).queryParam("cursor", membersCursor)
                .get("/v1/orgs/{orgId}/members/history", org).then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(admin.token()).queryParam("cursor", cursor)
                .get("/v1/orgs/{orgId}/members", org).then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void aMemberOfAnotherOrgIs404() {
        UUID other = Tenants.org("Other");
        TestUser stranger = Tenants.memberOf(other, "member");
        given().auth().oauth2(owner.token()).get("/v1/orgs/{orgId}/members/{userId}", org, stranger.id())
                .then().statusCode(404);
        given().auth().oauth2(owner.token()).contentType("application/json").body("{\"role\": \"admin\"}")
                .patch("/v1/orgs/{orgId}/members/{userId}", org, stranger.id()).then().statusCode(404);
        assertEquals("member", TestDatabase.value("SELECT role FROM core.memberships WHERE org_id = ? AND user_id = ?",
                other, stranger.id()));
    }

    static long count(String sql, Object... params) {
        return ((Number) TestDatabase.value(sql, params)).longValue();
    }
}
