package dev.huddle.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.huddle.platform.problem.ProblemMappers;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.Tenants.TestUser;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
@TestProfile(SubscriptionGateTest.Enforced.class)
class SubscriptionGateTest {

    public static class Enforced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("huddle.subscription-gate.mode", "enforce");
        }
    }

    @Test
    void anOrgThatNeverSubscribedGets402ButItsBillingRoutesStillAnswer() {
        UUID org = Tenants.org("Never paid");
        TestUser member = Tenants.memberOf(org, "member");
        problem(given().auth().oauth2(member.token()).get("/v1/test/orgs/{orgId}", org).then(), 402,
                "subscription-required");
        given().auth().oauth2(member.token()).get("/v1/billing/test/orgs/{orgId}", org).then().statusCode(200);
    }

    @Test
    void activeAndTrialingAreEntitled() {
        for (String status : new String[] { "active", "trialing" }) {
            UUID org = subscribed(status, "now() + interval '10 days'", false, null);
            given().auth().oauth2(Tenants.memberOf(org, "member").token()).get("/v1/test/orgs/{orgId}", org)
                    .then().statusCode(200).header("Subscription-Status", nullValue());
        }
    }

    @Test
    void pastDueIsEntitledWithAWarningUntilGraceEndsThen402() {
        UUID inGrace = subscribed("past_due", "now() + interval '10 days'", false, "now() + interval '3 days'");
        given().auth().oauth2(Tenants.memberOf(inGrace, "member").token()).get("/v1/test/orgs/{orgId}", inGrace)
                .then().statusCode(200).header("Subscription-Status", startsWith("past_due; grace-ends-at="));
        UUID graceOver = subscribed("past_due", "now() + interval '10 days'", false, "now() - interval '1 minute'");
        problem(given().auth().oauth2(Tenants.memberOf(graceOver, "member").token()).get("/v1/test/orgs/{orgId}", graceOver)
                .then(), 402, "subscription-required");
    }

    @Test
    void unpaidCanceledPausedAndExpiredAreNotEntitled() {
        for (String status : new String[] { "unpaid", "canceled", "paused", "incomplete_expired", "incomplete" }) {
            UUID org = subscribed(status, "now() + interval '10 days'", false, null);
            problem(given().auth().oauth2(Tenants.memberOf(org, "member").token()).get("/v1/test/orgs/{orgId}", org).then(),
                    402, "subscription-required");
        }
    }

    @Test
    void cancelAtPeriodEndIsEntitledUntilTheEndEvenBeforeStripeSaysSo() {
        UUID before = subscribed("active", "now() + interval '1 day'", true, null);
        given().auth().oauth2(Tenants.memberOf(before, "member").token()).get("/v1/test/orgs/{orgId}", before)
                .then().statusCode(200);
        UUID after = subscribed("active", "now() - interval '1 minute'", true, null);
        problem(given().auth().oauth2(Tenants.memberOf(after, "member").token()).get("/v1/test/orgs/{orgId}", after).then(),
                402, "subscription-required");
    }

    @Test
    void theOrderOfChecksIsTokenMembershipSubscriptionRole() {
        UUID lapsed = Tenants.org("Lapsed");
        TestUser member = Tenants.memberOf(lapsed, "member");
        TestUser outsider = Tenants.memberOf(Tenants.org("Elsewhere"), "owner");
        problem(given().get("/v1/test/orgs/{orgId}", lapsed).then(), 401, "unauthorized");
        problem(given().auth().oauth2(outsider.token()).get("/v1/test/orgs/{orgId}", lapsed).then(), 404, "not-found");
        problem(given().auth().oauth2(member.token()).contentType("application/json").body("{}")
                .post("/v1/test/orgs/{orgId}", lapsed).then(), 402, "subscription-required");

        UUID paying = subscribed("active", "now() + interval '10 days'", false, null);
        problem(given().auth().oauth2(Tenants.memberOf(paying, "member").token()).contentType("application/json").body("{}")
                .post("/v1/test/orgs/{orgId}", paying).then(), 403, "forbidden");
    }

    /** A refusal as RFC 9457 problem of the given type ({@code urn:huddle:problem:<slug>}), not only its status. */
    private static void problem(ValidatableResponse response, int status, String slug) {
        response.statusCode(status).contentType("application/problem+json")
                .body("type", equalTo(ProblemMappers.TYPE_PREFIX + slug))
                .body("status", equalTo(status));
    }

    private static UUID subscribed(String status, String periodEnd, boolean cancelAtPeriodEnd, String graceEndsAt) {
        UUID org = Tenants.org("Subscribed " + status);
        TestDatabase.sql("INSERT INTO billing.org_subscriptions (org_id, stripe_subscription_id, status, "
                + "current_period_end, cancel_at_period_end, grace_ends_at) VALUES (?, ?, ?, " + periodEnd + ", ?, "
                + (graceEndsAt == null ? "NULL" : graceEndsAt) + ")", org, "sub_" + UUID.randomUUID(), status,
                cancelAtPeriodEnd);
        return org;
    }
}
