package dev.huddle.core.users;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.huddle.testing.AuthTestResource;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class MeResourceTest {

    @Test
    void returnsTheCallerWithActiveMembershipsOnly() {
        var user = Tenants.user();
        UUID owned = Tenants.org("Alpha " + UUID.randomUUID());
        UUID joined = Tenants.org("Beta " + UUID.randomUUID());
        UUID left = Tenants.org("Gamma " + UUID.randomUUID());
        Tenants.member(owned, user, "owner", "active");
        Tenants.member(joined, user, "member", "active");
        Tenants.member(left, user, "admin", "inactive");

        given().auth().oauth2(user.token())
                .when().get("/v1/me")
                .then().statusCode(200)
                .body("id", equalTo(user.id().toString()))
                .body("workosUserId", equalTo(user.workosUserId()))
                .body("email", equalTo(user.email()))
                .body("memberships.orgId", contains(owned.toString(), joined.toString()))
                .body("memberships.role", contains("owner", "member"));
    }

    @Test
    void aValidTokenForAUserNotYetSyncedGetsTheSubjectAndNoMemberships() {
        given().auth().oauth2(TestTokens.forUser("user_01NOTSYNCEDYET"))
                .when().get("/v1/me")
                .then().statusCode(200)
                .body("workosUserId", equalTo("user_01NOTSYNCEDYET"))
                .body("id", nullValue())
                .body("memberships", empty());
    }

    @Test
    void noTokenIs401Problem() {
        given().when().get("/v1/me")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("status", equalTo(401))
                .body("type", equalTo("urn:huddle:problem:unauthorized"));
    }

    @Test
    void aTokenSignedByAnotherKeyIs401() {
        given().auth().oauth2(TestTokens.signedByAnotherKey(Tenants.user().workosUserId()))
                .when().get("/v1/me")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void anExpiredTokenIs401() {
        given().auth().oauth2(TestTokens.expired(Tenants.user().workosUserId()))
                .when().get("/v1/me")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aTokenFromAnIssuerNotConfiguredIs401() {
        given().auth().oauth2(TestTokens.fromIssuer("https://evil.example", Tenants.user().workosUserId()))
                .when().get("/v1/me")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void everyConfiguredIssuerIsAccepted() {
        var user = Tenants.user();
        given().auth().oauth2(TestTokens.fromIssuer(AuthTestResource.OTHER_ACCEPTED_ISSUER, user.workosUserId()))
                .when().get("/v1/me")
                .then().statusCode(200).body("id", equalTo(user.id().toString()));
    }

    @Test
    void garbageInTheAuthorizationHeaderIs401() {
        given().header("Authorization", "Bearer not.a.jwt")
                .when().get("/v1/me")
                .then().statusCode(401).contentType("application/problem+json");
    }
}
