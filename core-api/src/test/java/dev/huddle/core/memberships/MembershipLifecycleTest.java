package dev.huddle.core.memberships;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.huddle.core.identity.WorkOsWire.count;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.http.Fault;

import dev.huddle.core.identity.WorkOsEventSync;
import dev.huddle.core.identity.WorkOsFixture;
import dev.huddle.core.identity.WorkOsTestResource;
import dev.huddle.core.identity.WorkOsWire;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.Tenants.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.json.JsonObject;

/**
 * Deactivating and reactivating members through our API: WorkOS first, then the single write path, so WorkOS's
 * echo event changes nothing; WorkOS failing changes nothing here.
 */
@QuarkusTest
class MembershipLifecycleTest {

    private static final Instant SYNCED = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);

    @Inject
    WorkOsEventSync sync;

    private WorkOsFixture workOs;
    private WorkOsWire wire;
    private UUID org;

    /**
     * Org A from WorkOS: 1 owner, 2 member, 3 admin, 4 member (WorkOS will say it is pending), 5 pending; all linked
     * to their WorkOS memberships.
     */
    @BeforeEach
    void synced() {
        workOs = WorkOsFixture.orgWithMembers(sync, "Lifecycle", SYNCED, new String[] { "owner", "active" },
                new String[] { "member", "active" }, new String[] { "admin", "active" },
                new String[] { "member", "active" }, new String[] { "member", "pending" });
        wire = workOs.wire;
        org = workOs.org;
    }

    private ValidatableResponse post(int caller, int target, String action) {
        return given().auth().oauth2(workOs.token(caller))
                .post("/v1/orgs/{orgId}/members/{userId}/" + action, org, wire.ourUser(target)).then();
    }

    private int workOsCalls(String action) {
        return WorkOsTestResource.server().findAll(putRequestedFor(urlPathMatching(
                "/user_management/organization_memberships/.*/" + action))).size();
    }

    /** WorkOS emits the membership as it now is; the sync reads it. */
    private void echo(JsonObject membership) {
        WorkOsEventSync.Result result = workOs.sends(List.of(wire.event("organization_membership.updated",
                membership, Instant.parse(membership.getString("updated_at")))));
        assertEquals(1, result.applied(), result.toString());
        assertNull(result.failedEventId());
    }

    @Test
    void deactivateThenItsEchoMakeOneHistoryRowAndOneSeatSyncAndSoDoesReactivate() {
        long seats = workOs.seats();
        long outbox = workOs.outbox();
        Instant deactivatedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        JsonObject inactive = wire.membership(2, "A", "member", "inactive", deactivatedAt);
        wire.serveMembershipAction(2, "deactivate", 200, inactive);

        post(1, 2, "deactivate").statusCode(200).body("status", equalTo("inactive")).body("role", equalTo("member"));

        assertEquals(1, WorkOsTestResource.server().findAll(putRequestedFor(urlPathEqualTo(
                "/user_management/organization_memberships/" + wire.membershipId(2) + "/deactivate"))).size());
        assertEquals("member/inactive", wire.membershipOf(org, 2));
        echo(inactive);
        assertEquals("member/inactive", wire.membershipOf(org, 2));
        assertEquals(1, count("""
                SELECT count(*) FROM core.membership_history WHERE org_id = ? AND user_id = ? AND from_status = 'active'
                AND to_status = 'inactive' AND source = 'api' AND actor_user_id = ?""", org, wire.ourUser(2), wire.ourUser(1)));
        assertEquals(2, workOs.history(2)); // added by WorkOS, deactivated by us
        assertEquals(seats + 1, workOs.seats());
        assertEquals(1, count("SELECT count(*) FROM billing.seat_changes WHERE org_id = ? AND reason = 'member_deactivated'",
                org));
        assertEquals(outbox + 1, workOs.outbox());

        Instant reactivatedAt = deactivatedAt.plusSeconds(1);
        JsonObject active = wire.membership(2, "A", "member", "active", reactivatedAt);
        wire.serveMembershipAction(2, "reactivate", 200, active);

        post(1, 2, "reactivate").statusCode(200).body("status", equalTo("active"));

        assertEquals(1, workOsCalls("reactivate"));
        echo(active);
        assertEquals("member/active", wire.membershipOf(org, 2));
        assertEquals(3, workOs.history(2));
        assertEquals(1, count("""
                SELECT count(*) FROM core.membership_history WHERE org_id = ? AND user_id = ? AND from_status = 'inactive'
                AND to_status = 'active' AND source = 'api'""", org, wire.ourUser(2)));
        assertEquals(seats + 2, workOs.seats());
        assertEquals(outbox + 2, workOs.outbox());
    }

    @Test
    void echoesThatArriveAfterALaterChangeAreOlderDataAndChangeNothing() {
        long seats = workOs.seats();
        Instant deactivatedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        JsonObject inactive = wire.membership(2, "A", "member", "inactive", deactivatedAt);
        JsonObject active = wire.membership(2, "A", "member", "active", deactivatedAt.plusMillis(300));
        wire.serveMembershipAction(2, "deactivate", 200, inactive);
        wire.serveMembershipAction(2, "reactivate", 200, active);
        post(1, 2, "deactivate").statusCode(200);
        post(1, 2, "reactivate").statusCode(200);

        // both echoes come after both changes: the first says inactive, but is older than what we stored
        assertEquals(2, workOs.sends(List.of(wire.event("organization_membership.updated", inactive, deactivatedAt),
                wire.event("organization_membership.updated", active, deactivatedAt.plusMillis(300)))).applied());

        assertEquals("member/active", wire.membershipOf(org, 2));
        assertEquals(3, workOs.history(2));
        assertEquals(0, count("SELECT count(*) FROM core.membership_history WHERE org_id = ? AND user_id = ? "
                + "AND source = 'workos' AND from_status IS NOT NULL", org, wire.ourUser(2)));
        assertEquals(seats + 2, workOs.seats());
    }

    @Test
    void aWorkOsOutageOnDeactivateWritesNothing() {
        long history = workOs.history(2);
        long seats = workOs.seats();
        long outbox = workOs.outbox();
        String path = "/user_management/organization_memberships/" + wire.membershipId(2) + "/deactivate";

        WorkOsTestResource.server().stubFor(put(urlPathEqualTo(path))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        post(1, 2, "deactivate").statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("urn:huddle:problem:workos-unavailable"));

        WorkOsTestResource.server().stubFor(put(urlPathEqualTo(path)).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Internal Server Error\"}")));
        post(1, 2, "deactivate").statusCode(503).body("type", equalTo("urn:huddle:problem:workos-unavailable"));

        WorkOsTestResource.server().stubFor(put(urlPathEqualTo(path)).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "30").withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Too many requests\"}")));
        post(1, 2, "deactivate").statusCode(503).header("Retry-After", equalTo("30"));

        WorkOsTestResource.server().stubFor(put(urlPathEqualTo(path)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Unauthorized\"}")));
        post(1, 2, "deactivate").statusCode(502).body("type", equalTo("urn:huddle:problem:workos-unavailable"));

        assertEquals(4, workOsCalls("deactivate"));
        assertEquals("member/active", wire.membershipOf(org, 2));
        assertEquals(history, workOs.history(2));
        assertEquals(seats, workOs.seats());
        assertEquals(outbox, workOs.outbox());
    }

    @Test
    void theRulesAreCheckedBeforeWorkOsIsCalled() {
        wire.serveMembershipAction(1, "deactivate", 200, wire.membership(1, "A", "owner", "inactive", Instant.now()));

        post(3, 1, "deactivate").statusCode(403); // an admin may not deactivate an owner
        post(1, 1, "deactivate").statusCode(409).body("type", equalTo("urn:huddle:problem:last-owner"));
        post(2, 3, "deactivate").statusCode(403); // a member is no admin
        post(1, 5, "deactivate").statusCode(409).body("type", equalTo("urn:huddle:problem:membership-pending"));
        post(1, 5, "reactivate").statusCode(409).body("type", equalTo("urn:huddle:problem:membership-pending"));

        assertEquals(0, workOsCalls("deactivate") + workOsCalls("reactivate"));
        assertEquals("owner/active", wire.membershipOf(org, 1));
    }

    @Test
    void aNoOpChangeDoesNotCallWorkOs() {
        post(1, 2, "reactivate").statusCode(200).body("status", equalTo("active"));

        assertEquals(0, workOsCalls("reactivate"));
        assertEquals(1, workOs.history(2));
    }

    @Test
    void whenWorkOsSaysTheMembershipIsPendingNothingChanges() {
        wire.serveMembershipAction(4, "deactivate", 400, new JsonObject()
                .put("message",
                        "A pending organization membership cannot be deactivated. This membership should be deleted instead.")
                .put("code", "cannot_deactivate_pending_organization_membership"));

        post(1, 4, "deactivate").statusCode(409).body("type", equalTo("urn:huddle:problem:membership-pending"));

        assertEquals("member/active", wire.membershipOf(org, 4));
        assertEquals(1, workOs.history(4));
    }

    @Test
    void whenWorkOsNoLongerKnowsTheMembershipTheChangeIsMadeHereOnly() {
        wire.serveMembershipAction(2, "deactivate", 404, new JsonObject().put("message",
                "Organization membership not found: '" + wire.membershipId(2) + "'."));

        post(1, 2, "deactivate").statusCode(200).body("status", equalTo("inactive"));

        assertEquals(1, workOsCalls("deactivate"));
        assertEquals(2, workOs.history(2));
    }

    @Test
    void aMembershipWorkOsNeverKnewChangesHereOnly() {
        TestUser local = Tenants.memberOf(org, "member");

        given().auth().oauth2(workOs.token(1)).post("/v1/orgs/{orgId}/members/{userId}/deactivate", org, local.id())
                .then().statusCode(200).body("status", equalTo("inactive"));
        given().auth().oauth2(workOs.token(1)).post("/v1/orgs/{orgId}/members/{userId}/reactivate", org, local.id())
                .then().statusCode(200).body("status", equalTo("active"));

        assertEquals(0, workOsCalls("deactivate") + workOsCalls("reactivate"));
        assertEquals(2, count("SELECT count(*) FROM core.membership_history WHERE org_id = ? AND user_id = ?", org,
                local.id()));
    }

    @Test
    void aStatusChangeThroughPatchGoesToWorkOsToo() {
        JsonObject inactive = wire.membership(3, "A", "admin", "inactive", Instant.now().truncatedTo(ChronoUnit.MILLIS));
        wire.serveMembershipAction(3, "deactivate", 200, inactive);

        given().auth().oauth2(workOs.token(1)).contentType("application/json").body("{\"status\": \"inactive\"}")
                .patch("/v1/orgs/{orgId}/members/{userId}", org, wire.ourUser(3))
                .then().statusCode(200).body("status", equalTo("inactive"));

        assertEquals(1, workOsCalls("deactivate"));
        long history = workOs.history(3);
        echo(inactive);
        assertEquals(history, workOs.history(3));
    }
}
