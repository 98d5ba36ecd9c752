package dev.huddle.core.identity;

import static dev.huddle.core.identity.WorkOsWire.count;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import dev.huddle.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * WorkOS's changes that break a rule our API keeps are applied, not poisoned: the consequence is flagged (an org
 * without owner, an org over its seats); poison is left for technical failures, which operators list and replay.
 */
@QuarkusTest
class WorkOsInvariantsTest {

    private static final Instant SYNCED = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);

    @Inject
    WorkOsEventSync sync;

    private WorkOsWire wire;
    private final List<JsonObject> events = new ArrayList<>();

    @BeforeEach
    void fresh() {
        WorkOsFixture.fresh(sync);
        wire = new WorkOsWire();
        events.clear();
    }

    private WorkOsEventSync.Result sends(JsonObject... sent) {
        events.addAll(List.of(sent));
        WorkOsWire.serveEvents(events);
        return WorkOsFixture.run(sync);
    }

    private static String operator() {
        return TestTokens.forUser(WorkOsTestResource.OPERATOR);
    }

    @Test
    void theOnlyOwnerDeletedInWorkOsIsAppliedTheOrgFlaggedAndAnAdminClaimsOwnership() {
        events.addAll(wire.orgWithMembers("A", "Orphaned", SYNCED, new String[] { "owner", "active" },
                new String[] { "admin", "active" }));
        assertEquals(5, sends().applied());
        UUID org = wire.ourOrg("A");
        UUID owner = wire.ourUser(1);
        long outbox = count("SELECT count(*) FROM realtime.outbox WHERE channel = ? AND payload->>'type' = 'org.owner_missing'",
                "org:" + org);

        JsonObject deleted = wire.event("user.deleted", wire.user(1, "User1", Instant.now()), Instant.now());
        WorkOsEventSync.Result result = sends(deleted);

        assertEquals(1, result.applied());
        assertEquals(0, result.poisoned());
        assertNull(result.failedEventId());
        assertEquals(deleted.getString("id"), WorkOsWire.cursor());
        assertEquals(0L, count("SELECT count(*) FROM core.workos_poison_events WHERE event_id = ?", deleted.getString("id")));
        assertNull(wire.membershipOf(org, 1));
        assertEquals(1L, count("SELECT count(*) FROM core.membership_history WHERE org_id = ? AND user_id = ? "
                + "AND to_status IS NULL AND source = 'workos'", org, owner));
        assertNotNull(TestDatabase.value("SELECT owner_missing_since FROM core.organizations WHERE id = ?", org));
        assertEquals(outbox + 1, count("SELECT count(*) FROM realtime.outbox WHERE channel = ? "
                + "AND payload->>'type' = 'org.owner_missing'", "org:" + org));
        given().auth().oauth2(operator()).get("/v1/ops/orgs/owner-missing").then().statusCode(200)
                .body("orgId", hasItem(org.toString()));
        given().auth().oauth2(TestTokens.forUser(wire.userId(2))).get("/v1/ops/orgs/owner-missing").then()
                .statusCode(404);

        // the admin claims it: an owner again (in WorkOS first), the flag is gone
        wire.serveMembershipUpdate(2, "owner", 200, wire.membership(2, "A", "owner", "active", Instant.now()));
        given().auth().oauth2(TestTokens.forUser(wire.userId(2))).post("/v1/orgs/{orgId}/members/ownership-claim", org)
                .then().statusCode(200).body("role", equalTo("owner"));
        assertNull(TestDatabase.value("SELECT owner_missing_since FROM core.organizations WHERE id = ?", org));
        given().auth().oauth2(TestTokens.forUser(wire.userId(2))).post("/v1/orgs/{orgId}/members/ownership-claim", org)
                .then().statusCode(409);
    }

    @Test
    void aWorkOsMembershipOverTheCapIsAppliedTheOrgMarkedOverCapAndInvitationsRefused() {
        events.addAll(wire.orgWithMembers("A", "Crowded", SYNCED, new String[] { "owner", "active" }));
        assertEquals(3, sends().applied());
        UUID org = wire.ourOrg("A");
        TestDatabase.sql("""
                INSERT INTO billing.org_subscriptions (org_id, stripe_subscription_id, status, seat_cap)
                VALUES (?, ?, 'active', 1)""", org, "sub_" + UUID.randomUUID());
        long seats = count("SELECT count(*) FROM billing.seat_changes WHERE org_id = ?", org);

        WorkOsEventSync.Result result = sends(wire.event("user.created", wire.user(2, "Two", SYNCED), SYNCED),
                wire.event("organization_membership.created", wire.membership(2, "A", "member", "active", SYNCED), SYNCED));

        assertEquals(2, result.applied());
        assertEquals(0, result.poisoned());
        assertEquals("member/active", wire.membershipOf(org, 2));
        assertNotNull(TestDatabase.value("SELECT over_seat_cap_since FROM core.organizations WHERE id = ?", org));
        assertEquals(seats + 1, count("SELECT count(*) FROM billing.seat_changes WHERE org_id = ?", org),
                "seat sync bills the real count");
        given().auth().oauth2(operator()).get("/v1/ops/orgs/over-seat-cap").then().statusCode(200)
                .body("orgId", hasItem(org.toString()));
        given().auth().oauth2(TestTokens.forUser(wire.userId(1))).contentType("application/json")
                .body("{\"email\": \"more@example.test\", \"role\": \"member\"}")
                .post("/v1/orgs/{orgId}/invitations", org).then().statusCode(409)
                .body("type", equalTo("urn:huddle:problem:seat-limit"));
    }

    @Test
    void aPoisonedEventReplayedByAnOperatorIsAppliedOnce() {
        // a local account holds the address WorkOS's new user has: a technical failure, until someone fixes it
        Tenants.TestUser holder = Tenants.user();
        JsonObject created = wire.event("user.created", wire.user(1, "One", SYNCED).put("email", holder.email()), SYNCED);
        for (int attempt = 1; attempt <= 3; attempt++) {
            sends(attempt == 1 ? new JsonObject[] { created } : new JsonObject[0]);
        }
        given().auth().oauth2(operator()).get("/v1/ops/workos/poison").then().statusCode(200)
                .body("eventId", hasItem(created.getString("id")));
        assertEquals(0L, count("SELECT count(*) FROM core.users WHERE workos_user_id = ?", wire.userId(1)));

        TestDatabase.sql("UPDATE core.users SET email = ? WHERE id = ?", "moved-" + holder.email(), holder.id());
        given().auth().oauth2(operator()).post("/v1/ops/workos/poison/{id}/replay", created.getString("id"))
                .then().statusCode(204);
        given().auth().oauth2(operator()).post("/v1/ops/workos/poison/{id}/replay", created.getString("id"))
                .then().statusCode(404);

        assertEquals(1L, count("SELECT count(*) FROM core.users WHERE workos_user_id = ?", wire.userId(1)));
        assertEquals(0L, count("SELECT count(*) FROM core.workos_poison_events WHERE event_id = ?", created.getString("id")));
    }
}
