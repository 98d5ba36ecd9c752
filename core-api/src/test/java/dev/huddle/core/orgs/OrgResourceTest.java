package dev.huddle.core.orgs;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.huddle.testing.Tenants;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class OrgResourceTest {

    @Test
    void aMemberReadsTheirOrgWithTheirRole() {
        UUID org = Tenants.org("Acme");
        var admin = Tenants.memberOf(org, "admin");

        given().auth().oauth2(admin.token())
                .when().get("/v1/orgs/{orgId}", org)
                .then().statusCode(200)
                .body("id", equalTo(org.toString()))
                .body("name", equalTo("Acme"))
                .body("role", equalTo("admin"));
    }

    @Test
    void anotherOrgsIdIs404AndRevealsNothing() {
        UUID mine = Tenants.org("Mine");
        UUID theirs = Tenants.org("Theirs");
        var me = Tenants.memberOf(mine, "owner");

        given().auth().oauth2(me.token())
                .when().get("/v1/orgs/{orgId}", theirs)
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("organization not found"));
    }

    @Test
    void anOrgThatDoesNotExistLooksTheSameAsAnotherOrgs() {
        var me = Tenants.memberOf(Tenants.org("Solo"), "owner");
        given().auth().oauth2(me.token())
                .when().get("/v1/orgs/{orgId}", UUID.randomUUID())
                .then().statusCode(404).body("detail", equalTo("organization not found"));
    }

    @Test
    void inactiveAndPendingMembersAre404() {
        UUID org = Tenants.org("Lapsed");
        var inactive = Tenants.user();
        var pending = Tenants.user();
        Tenants.member(org, inactive, "admin", "inactive");
        Tenants.member(org, pending, "member", "pending");

        given().auth().oauth2(inactive.token()).when().get("/v1/orgs/{orgId}", org).then().statusCode(404);
        given().auth().oauth2(pending.token()).when().get("/v1/orgs/{orgId}", org).then().statusCode(404);
    }

    @Test
    void anInvalidOrgIdIs400() {
        var me = Tenants.memberOf(Tenants.org("Any"), "member");
        given().auth().oauth2(me.token())
                .when().get("/v1/orgs/{orgId}", "not-a-uuid")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("orgId"));
    }

    @Test
    void creatingAnOrgMakesTheCallerItsOwnerThroughTheWritePath() {
        var user = Tenants.user();
        String id = given().auth().oauth2(user.token()).contentType("application/json")
                .body("{\"name\": \" New Co \", \"settings\": {\"theme\": \"dark\"}}")
                .when().post("/v1/orgs")
                .then().statusCode(201)
                .body("name", equalTo("New Co"))
                .body("role", equalTo("owner"))
                .body("settings.theme", equalTo("dark"))
                .extract().path("id");
        given().auth().oauth2(user.token()).when().get("/v1/orgs").then().statusCode(200)
                .body("items.id", hasItem(id));
        org.junit.jupiter.api.Assertions.assertEquals(1L, ((Number) dev.huddle.testing.TestDatabase.value(
                "SELECT count(*) FROM core.membership_history WHERE org_id = ?::uuid AND to_role = 'owner'", id))
                .longValue());
    }

    @Test
    void aUserNotYetSyncedCannotCreateAnOrg() {
        given().auth().oauth2(dev.huddle.testing.TestTokens.forUser("user_01UNSYNCED")).contentType("application/json")
                .body("{\"name\": \"X\"}").when().post("/v1/orgs")
                .then().statusCode(409).body("type", equalTo("urn:huddle:problem:user-not-synced"));
    }

    @Test
    void adminsRenameMembersCannot() {
        UUID org = Tenants.org("Before");
        var admin = Tenants.memberOf(org, "admin");
        var member = Tenants.memberOf(org, "member");
        given().auth().oauth2(member.token()).contentType("application/json").body("{\"name\": \"Hijack\"}")
                .when().patch("/v1/orgs/{orgId}", org).then().statusCode(403);
        given().auth().oauth2(admin.token()).contentType("application/json").body("{\"name\": \"After\"}")
                .when().patch("/v1/orgs/{orgId}", org).then().statusCode(200).body("name", equalTo("After"));
        given().auth().oauth2(admin.token()).contentType("application/json").body("{}")
                .when().patch("/v1/orgs/{orgId}", org).then().statusCode(400);
    }

    @Test
    void noTokenIs401BeforeAnythingElse() {
        given().when().get("/v1/orgs/{orgId}", "not-a-uuid")
                .then().statusCode(401).contentType("application/problem+json");
    }
}
