package dev.huddle.core.invitations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.huddle.core.identity.WorkOsWire.count;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import dev.huddle.core.identity.WorkOsEventSync;
import dev.huddle.core.identity.WorkOsFixture;
import dev.huddle.core.identity.WorkOsTestResource;
import dev.huddle.core.identity.WorkOsWire;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.Tenants.TestUser;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * Joining an org only by accepting an invitation: through our API for an org WorkOS does not manage, through WorkOS's
 * events for one it does; the answer to an invitation tells nothing about the address; pending invitations hold
 * seats.
 */
@QuarkusTest
class InvitationTest {

    private static final Set<String> FIELDS = Set.of("id", "email", "role", "state", "expiresAt", "createdAt");

    @Inject
    WorkOsEventSync sync;

    private static Response invite(TestUser caller, UUID org, String email, String role) {
        return given().auth().oauth2(caller.token()).contentType("application/json")
                .body(new JsonObject().put("email", email).put("role", role).encode())
                .post("/v1/orgs/{orgId}/invitations", org);
    }

    private static Response accept(TestUser caller, String invitationId) {
        return given().auth().oauth2(caller.token()).post("/v1/invitations/{id}/accept", invitationId);
    }

    private static List<Object> myOrgs(TestUser user) {
        return given().auth().oauth2(user.token()).get("/v1/me").then().statusCode(200).extract().path("memberships");
    }

    private static void verified(TestUser user) {
        TestDatabase.sql("UPDATE core.users SET email_verified = true WHERE id = ?", user.id());
    }

    private static String membership(UUID org, UUID user) {
        List<Map<String, Object>> rows = TestDatabase.sql(
                "SELECT role || '/' || status AS s FROM core.memberships WHERE org_id = ? AND user_id = ?", org, user);
        return rows.isEmpty() ? null : (String) rows.get(0).get("s");
    }

    @Test
    void anInvitationAddsNobodyAndAnswersTheSameWhetherOrNotTheAddressHasAnAccount() {
        UUID org = Tenants.org("Inviting");
        TestUser owner = Tenants.memberOf(org, "owner");
        TestUser b = Tenants.user();
        List<Object> before = myOrgs(b);

        Response known = invite(owner, org, b.email().toUpperCase(), "member");
        Response unknown = invite(owner, org, "nobody-" + UUID.randomUUID() + "@example.test", "member");

        for (Response answer : List.of(known, unknown)) {
            answer.then().statusCode(201);
            Map<String, Object> body = answer.jsonPath().getMap("");
            assertEquals(FIELDS, body.keySet(), "only what the inviter gave, and the invitation's own state");
            assertEquals("pending", body.get("state"));
            assertEquals("member", body.get("role"));
        }
        assertEquals(b.email().toLowerCase(), known.path("email"));
        assertEquals(before, myOrgs(b), "B's /v1/me is unchanged");
        assertNull(membership(org, b.id()));
        // listed to admins
        given().auth().oauth2(owner.token()).get("/v1/orgs/{orgId}/invitations", org).then().statusCode(200)
                .body("items.size()", Matchers.equalTo(2));
    }

    @Test
    void theInviteeAcceptsWithTheirOwnTokenAndBecomesAnActiveMemberOnce() {
        UUID org = Tenants.org("Accepting");
        TestUser owner = Tenants.memberOf(org, "owner");
        TestUser b = Tenants.user();
        TestUser stranger = Tenants.user();
        verified(b);
        verified(stranger);
        long seats = count("SELECT count(*) FROM billing.seat_changes WHERE org_id = ?", org);
        String id = invite(owner, org, b.email(), "admin").then().statusCode(201).extract().path("id");

        accept(stranger, id).then().statusCode(404); // someone else's invitation is no invitation
        accept(b, id).then().statusCode(200).body("state", Matchers.equalTo("accepted"));

        assertEquals("admin/active", membership(org, b.id()));
        assertEquals(1L, count("SELECT count(*) FROM core.membership_history WHERE org_id = ? AND user_id = ?",
                org, b.id()));
        assertEquals(seats + 1, count("SELECT count(*) FROM billing.seat_changes WHERE org_id = ?", org));
        assertEquals(1, myOrgs(b).size());
        accept(b, id).then().statusCode(404); // once
    }

    @Test
    void anUnverifiedAddressNeverBecomesAMember() {
        UUID org = Tenants.org("Unverified");
        TestUser owner = Tenants.memberOf(org, "owner");
        TestUser b = Tenants.user();
        String id = invite(owner, org, b.email(), "member").then().statusCode(201).extract().path("id");

        accept(b, id).then().statusCode(409).body("type", Matchers.equalTo("urn:huddle:problem:email-unverified"));
        assertNull(membership(org, b.id()));
    }

    @Test
    void overTheSeatCapWithPendingInvitationsTheNextInvitationIsRefused() {
        UUID org = Tenants.org("Full");
        TestUser owner = Tenants.memberOf(org, "owner");
        TestDatabase.sql("""
                INSERT INTO billing.org_subscriptions (org_id, stripe_subscription_id, status, seat_cap)
                VALUES (?, ?, 'active', 3)""", org, "sub_" + UUID.randomUUID());
        invite(owner, org, "one-" + UUID.randomUUID() + "@example.test", "member").then().statusCode(201);
        invite(owner, org, "two-" + UUID.randomUUID() + "@example.test", "member").then().statusCode(201);

        invite(owner, org, "three-" + UUID.randomUUID() + "@example.test", "member").then().statusCode(409)
                .body("type", Matchers.equalTo("urn:huddle:problem:seat-limit"));
        assertEquals(2L, count("SELECT count(*) FROM core.invitations WHERE org_id = ? AND state = 'pending'", org));
    }

    @Test
    void inAnOrgWorkOsManagesWorkOsSendsItAndOnlyItsAcceptanceMakesTheMember() {
        Instant at = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        WorkOsFixture workOs = WorkOsFixture.orgWithMembers(sync, "Invited", at, new String[] { "owner", "active" });
        WorkOsWire wire = workOs.wire;
        UUID org = workOs.org;
        TestUser owner = new TestUser(wire.ourUser(1), wire.userId(1), wire.email(1));
        String invitationId = "invitation_01" + wire.run;
        WorkOsTestResource.server().stubFor(post(urlPathEqualTo("/user_management/invitations"))
                .withRequestBody(matchingJsonPath("$.organization_id", equalTo(wire.orgId("A"))))
                .withRequestBody(matchingJsonPath("$.email", equalTo(wire.email(2))))
                .withRequestBody(matchingJsonPath("$.role_slug", equalTo("member")))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(new JsonObject().put("object", "invitation").put("id", invitationId)
                                .put("email", wire.email(2)).put("state", "pending")
                                .put("organization_id", wire.orgId("A"))
                                .put("expires_at", Instant.now().plus(7, ChronoUnit.DAYS).toString())
                                .put("token", "secret-token").put("accept_invitation_url", "https://example.test/a")
                                .encode())));

        String id = invite(owner, org, wire.email(2), "member").then().statusCode(201).extract().path("id");
        assertEquals(1, WorkOsTestResource.server().findAll(postRequestedFor(urlPathEqualTo(
                "/user_management/invitations"))).size());

        // the invitee cannot accept it here: WorkOS sent it
        workOs.sends(List.of(wire.event("user.created", wire.user(2, "Two", at), at)));
        TestUser b = new TestUser(wire.ourUser(2), wire.userId(2), wire.email(2));
        accept(b, id).then().statusCode(409);
        assertNull(wire.membershipOf(org, 2));

        // WorkOS's acceptance: the invitation closes, the membership comes
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        assertEquals(2, workOs.sends(List.of(wire.event("invitation.accepted", new JsonObject().put("object", "invitation")
                .put("id", invitationId).put("email", wire.email(2)).put("state", "accepted")
                .put("organization_id", wire.orgId("A")), now),
                wire.event("organization_membership.created", wire.membership(2, "A", "member", "active", now), now)))
                .applied());

        assertEquals("member/active", wire.membershipOf(org, 2));
        assertEquals("accepted", TestDatabase.value("SELECT state FROM core.invitations WHERE id = ?::uuid", id));
    }
}
