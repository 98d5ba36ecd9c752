package dev.huddle.realtime.channels;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.huddle.testing.Tenants;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ChannelResourceTest {

    @Test
    void aMemberGetsTheOrgChannelAndTheirOwn() {
        UUID org = Tenants.org("Live");
        var member = Tenants.memberOf(org, "member");

        given().auth().oauth2(member.token())
                .when().get("/v1/realtime/orgs/{orgId}/channels", org)
                .then().statusCode(200)
                .body("channels", contains("org:" + org, "user:#" + member.id()));
    }

    @Test
    void anotherOrgIs404() {
        var me = Tenants.memberOf(Tenants.org("Mine"), "owner");
        given().auth().oauth2(me.token())
                .when().get("/v1/realtime/orgs/{orgId}/channels", Tenants.org("Theirs"))
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aDeactivatedMemberIs404() {
        UUID org = Tenants.org("Gone");
        var user = Tenants.user();
        Tenants.member(org, user, "admin", "inactive");
        given().auth().oauth2(user.token())
                .when().get("/v1/realtime/orgs/{orgId}/channels", org)
                .then().statusCode(404);
    }
}
