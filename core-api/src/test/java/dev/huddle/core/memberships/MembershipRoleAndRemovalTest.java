package dev.huddle.core.memberships;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.huddle.core.identity.WorkOsWire.count;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.RequestMethod;

import dev.huddle.core.identity.WorkOsEventSync;
import dev.huddle.core.identity.WorkOsFixture;
import dev.huddle.core.identity.WorkOsTestResource;
import dev.huddle.core.identity.WorkOsWire;
import dev.huddle.platform.tenancy.Role;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.Tenants.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.json.JsonObject;

/**
 * Role changes and removals through our API of memberships WorkOS manages: WorkOS first, then the single write path,
 * so WorkOS's echo event, a replay or a full reconciliation does not undo them; WorkOS failing changes nothing here;
 * memberships WorkOS never knew stay ours alone.
 */
@QuarkusTest
class MembershipRoleAndRemovalTest {

    private static final Instant SYNCED = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);

    @Inject
    WorkOsEventSync sync;
    @Inject
    MembershipService memberships;

    private WorkOsFixture workOs;
    private WorkOsWire wire;
    private UUID org;

    /** Org A from WorkOS: 1 owner, 2 member, 3 admin, 4 member, 5 pending member; all linked to WorkOS. */
    @BeforeEach
    void synced() {
        workOs = WorkOsFixture.orgWithMembers(sync, "Roles", SYNCED, new String[] { "owner", "active" },
                new String[] { "member", "active" }, new String[] { "admin", "active" },
                new String[] { "member", "active" }, new String[] { "member", "pending" });
        wire = workOs.wire;
        org = workOs.org;
    }

    private ValidatableResponse patch(int caller, UUID target, String body) {
        return given().auth().oauth2(workOs.token(caller)).contentType("application/json").body(body)
                .patch("/v1/orgs/{orgId}/members/{userId}", org, target).then();
    }

    private ValidatableResponse remove(int caller, UUID target) {
        return given().auth().oauth2(workOs.token(caller)).delete("/v1/orgs/{orgId}/members/{userId}", org, target).then();
    }

    private String membershipPath(int n) {
        return "/user_management/organization_memberships/" + wire.membershipId(n);
    }

    private int roleUpdates(int n, String slug) {
        return WorkOsTestResource.server().findAll(putRequestedFor(urlPathEqualTo(membershipPath(n)))
                .withRequestBody(equalToJson("{\"role_slug\": \"" + slug + "\"}"))).size();
    }

    private int deletions(int n) {
        return WorkOsTestResource.server().findAll(deleteRequestedFor(urlPathEqualTo(membershipPath(n)))).size();
    }

    /** Requests that change something in WorkOS (anything but reads). */
    private long workOsWrites() {
        return WorkOsTestResource.server().getAllServeEvents().stream()
                .filter(e -> !RequestMethod.GET.equals(e.getRequest().getMethod())).count();
    }

    private long tombstones(int n) {
        return count("SELECT count(*) FROM core.workos_tombstones WHERE workos_id = ?", wire.membershipId(n));
    }

    /** WorkOS emits these events; the sync reads them, each applied without failure. */
    private void workOsSends(List<JsonObject> sent) {
        WorkOsEventSync.Result result = workOs.sends(sent);
        assertEquals(sent.size(), result.applied(), result.toString());
        assertNull(result.failedEventId());
    }

    private JsonObject updated(JsonObject membership) {
        return wire.event("organization_membership.updated", membership, Instant.parse(membership.getString("updated_at")));
    }

    private JsonObject deleted(JsonObject membership) {
        return wire.event("organization_membership.deleted", membership, Instant.parse(membership.getString("updated_at")));
    }

    @Test
    void aRoleChangeThenItsEchoMakeOneHistoryRowAndNoSeatSync() {
        long seats = workOs.seats();
        long outbox = workOs.outbox();
        JsonObject promoted = wire.membership(2, "A", "admin", "active", Instant.now().truncatedTo(ChronoUnit.MILLIS));
        wire.serveMembershipUpdate(2, "admin", 200, promoted);

        patch(1, wire.ourUser(2), "{\"role\": \"admin\"}").statusCode(200).body("role", equalTo("admin"))
                .body("status", equalTo("active"));

        assertEquals(1, roleUpdates(2, "admin"));
        assertEquals(1, workOsWrites());
        assertEquals("admin/active", wire.membershipOf(org, 2));
        workOsSends(List.of(updated(promoted)));
        assertEquals("admin/active", wire.membershipOf(org, 2));
        assertEquals(2, workOs.history(2)); // added by WorkOS, promoted by us
        assertEquals(1, count("""
                SELECT count(*) FROM core.membership_history WHERE org_id = ? AND user_id = ? AND from_role = 'member'
                AND to_role = 'admin' AND source = 'api' AND actor_user_id = ?""", org, wire.ourUser(2), wire.ourUser(1)));
        assertEquals(seats, workOs.seats()); // the active members did not change
        assertEquals(outbox + 1, workOs.outbox());
        assertEquals(1, count("SELECT count(*) FROM core.memberships WHERE org_id = ? AND user_id = ? "
                + "AND workos_updated_at = ?::timestamptz", org, wire.ourUser(2), promoted.getString("updated_at")));
    }

    @Test
    void aRoleAndStatusChangeChangesTheRoleWhileActiveThenDeactivatesAndItsEchoesChangeNothing() {
        long seats = workOs.seats();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        JsonObject promoted = wire.membership(2, "A", "admin", "active", at);
        JsonObject inactive = wire.membership(2, "A", "admin", "inactive", at.plusMillis(200));
        wire.serveMembershipUpdate(2, "admin", 200, promoted);
        wire.serveMembershipAction(2, "deactivate", 200, inactive);

        patch(1, wire.ourUser(2), "{\"role\": \"admin\", \"status\": \"inactive\"}").statusCode(200)
                .body("role", equalTo("admin")).body("status", equalTo("inactive"));

        List<String> calls = WorkOsTestResource.server().getAllServeEvents().stream()
                .filter(e -> RequestMethod.PUT.equals(e.getRequest().getMethod()))
                .map(e -> e.getRequest().getUrl()).toList();
        // WireMock lists the newest first
        assertEquals(List.of(membershipPath(2) + "/deactivate", membershipPath(2)), calls);
        workOsSends(List.of(updated(promoted), updated(inactive)));
        assertEquals("admin/inactive", wire.membershipOf(org, 2));
        assertEquals(2, workOs.history(2));
        assertEquals(seats + 1, workOs.seats());
    }

    @Test
    void aRemovalThenItsDeletedEchoMakeOneHistoryRowAndOneSeatSyncAndNothingBringsItBack() {
        long seats = workOs.seats();
        long outbox = workOs.outbox();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        wire.serveMembershipDeletion(2, 204);

        remove(1, wire.ourUser(2)).statusCode(204);

        assertEquals(1, deletions(2));
        assertEquals(1, workOsWrites());
        assertNull(wire.membershipOf(org, 2));
        assertEquals(1, tombstones(2));
        assertEquals(1, count("SELECT count(*) FROM core.workos_tombstones WHERE workos_id = ? AND event_id = ?",
                wire.membershipId(2), "api:" + wire.ourUser(1)));
        // the echo, then a replay of an older update of it (the stream catching up): neither brings it back
        workOsSends(List.of(deleted(wire.membership(2, "A", "member", "active", at)),
                updated(wire.membership(2, "A", "member", "active", SYNCED.plusSeconds(1)))));
        assertNull(wire.membershipOf(org, 2));
        assertEquals(2, workOs.history(2)); // added by WorkOS, removed by us
        assertEquals(1, count("""
                SELECT count(*) FROM core.membership_history WHERE org_id = ? AND user_id = ? AND to_status IS NULL
                AND source = 'api' AND actor_user_id = ?""", org, wire.ourUser(2), wire.ourUser(1)));
        assertEquals(seats + 1, workOs.seats());
        assertEquals(1, count("SELECT count(*) FROM billing.seat_changes WHERE org_id = ? AND reason = 'member_deactivated'",
                org));
        assertEquals(outbox + 1, workOs.outbox());
    }

    @Test
    void aMemberAddedAgainAfterARemovalIsNotRemovedByTheOldDeletedEcho() {
        wire.serveMembershipDeletion(2, 204);
        remove(1, wire.ourUser(2)).statusCode(204);
        // added again through the write path (as an accepted invitation would)
        memberships.apply(new MembershipChange(org, wire.ourUser(2), Transition.add(Role.MEMBER),
                Actor.api(wire.ourUser(1), Role.OWNER))).await().indefinitely();

        workOsSends(List.of(deleted(wire.membership(2, "A", "member", "active", Instant.now()))));

        assertEquals("member/active", wire.membershipOf(org, 2));
        assertEquals(3, workOs.history(2));
    }

    @Test
    void aLaterFullReconciliationRevertsNeitherTheRoleNorTheRemoval() {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        JsonObject demoted = wire.membership(3, "A", "member", "active", at);
        wire.serveMembershipUpdate(3, "member", 200, demoted);
        wire.serveMembershipDeletion(4, 204);
        patch(1, wire.ourUser(3), "{\"role\": \"member\"}").statusCode(200).body("role", equalTo("member"));
        remove(1, wire.ourUser(4)).statusCode(204);
        long history = count("SELECT count(*) FROM core.membership_history WHERE org_id = ?", org);
        long seats = workOs.seats();

        // the sync loses its cursor; WorkOS lists the memberships as they now are
        WorkOsWire.ageCursor(40);
        WorkOsTestResource.server().resetAll();
        WorkOsWire.serveLatestEvent(deleted(wire.membership(4, "A", "member", "active", at)));
        WorkOsWire.serveOrganizations(List.of(List.of(wire.org("A", "Roles", SYNCED))));
        List<JsonObject> users = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            users.add(wire.user(n, "User" + n, SYNCED));
        }
        WorkOsWire.serveUsers(List.of(users));
        wire.serveMemberships("A", List.of(List.of(wire.membership(1, "A", "owner", "active", SYNCED),
                wire.membership(2, "A", "member", "active", SYNCED), demoted,
                wire.membership(5, "A", "member", "pending", SYNCED))));

        WorkOsEventSync.Result result = workOs.sync();

        assertNull(result.failedEventId(), result.toString());
        assertEquals(1, WorkOsTestResource.server().findAll(com.github.tomakehurst.wiremock.client.WireMock
                .getRequestedFor(urlPathEqualTo("/user_management/organization_memberships"))).size());
        assertEquals("member/active", wire.membershipOf(org, 3));
        assertNull(wire.membershipOf(org, 4));
        assertEquals(history, count("SELECT count(*) FROM core.membership_history WHERE org_id = ?", org));
        assertEquals(seats, workOs.seats());
    }

    @Test
    void aWorkOsOutageOnARoleChangeOrARemovalWritesNothing() {
        long history = count("SELECT count(*) FROM core.membership_history WHERE org_id = ?", org);
        long seats = workOs.seats();
        long outbox = workOs.outbox();

        WorkOsTestResource.server().stubFor(put(urlPathEqualTo(membershipPath(2)))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        patch(1, wire.ourUser(2), "{\"role\": \"admin\"}").statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("urn:huddle:problem:workos-unavailable"));

        WorkOsTestResource.server().stubFor(put(urlPathEqualTo(membershipPath(2))).willReturn(aResponse()
                .withStatus(429).withHeader("Retry-After", "30").withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Too many requests\"}")));
        patch(1, wire.ourUser(2), "{\"role\": \"admin\"}").statusCode(503).header("Retry-After", equalTo("30"));

        WorkOsTestResource.server().stubFor(put(urlPathEqualTo(membershipPath(2))).willReturn(aResponse()
                .withStatus(422).withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Role 'admin' does not exist.\"}")));
        patch(1, wire.ourUser(2), "{\"role\": \"admin\"}").statusCode(502)
                .body("type", equalTo("urn:huddle:problem:workos-unavailable"));

        WorkOsTestResource.server().stubFor(delete(urlPathEqualTo(membershipPath(2))).willReturn(aResponse()
                .withStatus(500).withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Internal Server Error\"}")));
        remove(1, wire.ourUser(2)).statusCode(503).body("type", equalTo("urn:huddle:problem:workos-unavailable"));

        WorkOsTestResource.server().stubFor(delete(urlPathEqualTo(membershipPath(2))).willReturn(aResponse()
                .withStatus(429).withHeader("Retry-After", "7").withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Too many requests\"}")));
        remove(1, wire.ourUser(2)).statusCode(503).header("Retry-After", equalTo("7"));

        WorkOsTestResource.server().stubFor(delete(urlPathEqualTo(membershipPath(2))).willReturn(aResponse()
                .withStatus(401).withHeader("Content-Type", "application/json").withBody("{\"message\":\"Unauthorized\"}")));
        remove(1, wire.ourUser(2)).statusCode(502).body("type", equalTo("urn:huddle:problem:workos-unavailable"));

        assertEquals(6, workOsWrites());
        assertEquals("member/active", wire.membershipOf(org, 2));
        assertEquals(0, tombstones(2));
        assertEquals(history, count("SELECT count(*) FROM core.membership_history WHERE org_id = ?", org));
        assertEquals(seats, workOs.seats());
        assertEquals(outbox, workOs.outbox());
    }

    @Test
    void whenWorkOsNoLongerHasTheMembershipTheRemovalIsMadeHere() {
        long seats = workOs.seats();
        wire.serveMembershipDeletion(2, 404);

        remove(1, wire.ourUser(2)).statusCode(204);

        assertEquals(1, deletions(2));
        assertNull(wire.membershipOf(org, 2));
        assertEquals(1, tombstones(2));
        assertEquals(2, workOs.history(2));
        assertEquals(seats + 1, workOs.seats());
    }

    @Test
    void leavingDeletesTheMembershipInWorkOsToo() {
        wire.serveMembershipDeletion(4, 204);

        remove(4, wire.ourUser(4)).statusCode(204);

        assertEquals(1, deletions(4));
        assertNull(wire.membershipOf(org, 4));
    }

    @Test
    void theRulesAreCheckedBeforeWorkOsIsCalled() {
        wire.serveMembershipUpdate(1, "admin", 200, wire.membership(1, "A", "admin", "active", Instant.now()));
        wire.serveMembershipDeletion(1, 204);
        wire.serveMembershipDeletion(3, 204);

        patch(3, wire.ourUser(1), "{\"role\": \"admin\"}").statusCode(403); // only an owner touches an owner
        patch(1, wire.ourUser(1), "{\"role\": \"admin\"}").statusCode(409)
                .body("type", equalTo("urn:huddle:problem:last-owner"));
        remove(1, wire.ourUser(1)).statusCode(409).body("type", equalTo("urn:huddle:problem:last-owner"));
        remove(2, wire.ourUser(3)).statusCode(403); // a member is no admin
        patch(1, wire.ourUser(2), "{\"role\": \"member\"}").statusCode(200); // no change: no call

        assertEquals(0, workOsWrites());
        assertEquals("owner/active", wire.membershipOf(org, 1));
        assertEquals("admin/active", wire.membershipOf(org, 3));
    }

    @Test
    void aMembershipWorkOsNeverKnewChangesRoleAndIsRemovedHereOnly() {
        TestUser local = Tenants.memberOf(org, "member");
        WorkOsTestResource.server().resetRequests();

        patch(1, local.id(), "{\"role\": \"admin\"}").statusCode(200).body("role", equalTo("admin"));
        remove(1, local.id()).statusCode(204);

        assertTrue(WorkOsTestResource.server().getAllServeEvents().isEmpty());
        assertEquals(2, count("SELECT count(*) FROM core.membership_history WHERE org_id = ? AND user_id = ?", org,
                local.id()));
        assertEquals(0, count("SELECT count(*) FROM core.memberships WHERE org_id = ? AND user_id = ?", org, local.id()));
    }
}
