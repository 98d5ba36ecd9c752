package dev.huddle.core.workos;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.huddle.core.identity.WorkOsEventSync;
import dev.huddle.core.identity.WorkOsFixture;
import dev.huddle.core.identity.WorkOsTestResource;
import dev.huddle.core.identity.WorkOsWire;
import dev.huddle.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * The circuit breaker in front of WorkOS: while WorkOS is down, our API answers 503 at once instead of each request
 * waiting on WorkOS; answers WorkOS gives (a 4xx) never open it; once WorkOS is back it closes.
 */
@QuarkusTest
@TestProfile(WorkOsCircuitBreakerTest.OpensSoon.class)
class WorkOsCircuitBreakerTest {

    /** Opens after 4 calls that all failed, for 2 s. */
    public static class OpensSoon implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("huddle.workos.circuit-breaker.request-volume", "4",
                    "huddle.workos.circuit-breaker.failure-ratio", "1.0",
                    "huddle.workos.circuit-breaker.delay", "2s");
        }
    }

    private static final Instant SYNCED = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);

    @Inject
    WorkOsEventSync sync;

    private WorkOsWire wire;
    private UUID org;

    /** Org A from WorkOS: 1 owner, 2 member, both linked to WorkOS. */
    @BeforeEach
    void synced() {
        WorkOsFixture workOs = WorkOsFixture.orgWithMembers(sync, "Breaker", SYNCED, new String[] { "owner", "active" },
                new String[] { "member", "active" });
        wire = workOs.wire;
        org = workOs.org;
    }

    private Response promote() {
        return given().auth().oauth2(TestTokens.forUser(wire.userId(1))).contentType("application/json")
                .body("{\"role\": \"admin\"}").patch("/v1/orgs/{orgId}/members/{userId}", org, wire.ourUser(2));
    }

    private int roleUpdates() {
        return WorkOsTestResource.server().findAll(putRequestedFor(
                urlPathEqualTo("/user_management/organization_memberships/" + wire.membershipId(2)))).size();
    }

    private void workOsAnswers(int status, JsonObject body) {
        WorkOsTestResource.server().stubFor(put(urlPathEqualTo(
                "/user_management/organization_memberships/" + wire.membershipId(2)))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                        .withBody(body.encode())));
    }

    @Test
    void anOutageOpensTheBreakerSoCallsAnswer503WithoutWaitingOnWorkOsUntilItIsBack() {
        workOsAnswers(500, new JsonObject().put("message", "Something went wrong"));
        for (int i = 1; i <= 4; i++) {
            promote().then().statusCode(503).body("type", equalTo("urn:huddle:problem:workos-unavailable"));
            assertEquals(i, roleUpdates(), "each call reaches WorkOS while the breaker is closed");
        }

        // open: WorkOS is not asked, the answer says when to come back, and nothing changed here
        Response held = promote();
        held.then().statusCode(503).body("type", equalTo("urn:huddle:problem:workos-unavailable"));
        assertNotNull(held.header("Retry-After"), held.asString());
        assertEquals(4, roleUpdates(), "the open breaker does not call WorkOS");
        assertEquals("member/active", wire.membershipOf(org, 2));

        // WorkOS is back: after the breaker's delay a call goes through again, and it closes
        workOsAnswers(200, wire.membership(2, "A", "admin", "active", Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> promote().statusCode() == 200);
        assertEquals(5, roleUpdates());
        assertEquals("admin/active", wire.membershipOf(org, 2));
    }

    @Test
    void refusalsFromWorkOsAreAnswersAndNeverOpenTheBreaker() {
        workOsAnswers(400, new JsonObject().put("code", "invalid_request_parameters").put("message", "Invalid role"));
        for (int i = 1; i <= 6; i++) {
            promote().then().statusCode(502);
            assertEquals(i, roleUpdates(), "every call reaches WorkOS");
        }
    }
}
