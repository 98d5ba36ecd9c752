package dev.huddle.billing.subscriptions;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SubscriptionResourceTest {

    @Test
    void anOrgThatNeverSubscribedHasNone() {
        UUID org = Tenants.org("Fresh");
        var member = Tenants.memberOf(org, "member");

        given().auth().oauth2(member.token())
                .when().get("/v1/billing/orgs/{orgId}/subscription", org)
                .then().statusCode(200)
                .body("orgId", equalTo(org.toString()))
                .body("status", equalTo("none"))
                .body("entitled", equalTo(false))
                .body("seatCap", nullValue());
    }

    @Test
    void showsTheSyncedSubscriptionThroughTheEntitlementView() {
        UUID org = Tenants.org("Paying");
        var admin = Tenants.memberOf(org, "admin");
        TestDatabase.sql("""
                INSERT INTO billing.org_subscriptions (org_id, stripe_subscription_id, status, quantity, seat_cap,
                    current_period_end)
                VALUES (?, ?, 'active', 3, 25, now() + interval '20 days')""", org, "sub_" + UUID.randomUUID());

        given().auth().oauth2(admin.token())
                .when().get("/v1/billing/orgs/{orgId}/subscription", org)
                .then().statusCode(200)
                .body("status", equalTo("active"))
                .body("entitled", equalTo(true))
                .body("quantity", equalTo(3))
                .body("seatCap", equalTo(25));
    }

    @Test
    void anotherOrgsSubscriptionIs404() {
        UUID mine = Tenants.org("Mine");
        UUID theirs = Tenants.org("Theirs");
        var me = Tenants.memberOf(mine, "owner");

        given().auth().oauth2(me.token())
                .when().get("/v1/billing/orgs/{orgId}/subscription", theirs)
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void noTokenIs401() {
        given().when().get("/v1/billing/orgs/{orgId}/subscription", UUID.randomUUID())
                .then().statusCode(401).contentType("application/problem+json");
    }
}
