package dev.huddle.core.identity;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.huddle.core.identity.WorkOsWire.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.huddle.testing.Tenants;
import dev.huddle.testing.Tenants.TestUser;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * A lost cursor (the sync did not run for longer than WorkOS keeps events, or WorkOS refuses it) makes the sync
 * reconcile through WorkOS's list endpoints, then read events on from a fresh cursor.
 */
@QuarkusTest
class WorkOsReconciliationTest {

    /** Before the outage. */
    private static final Instant BEFORE = Instant.now().minus(40, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
    /** During it: changes whose events WorkOS no longer has. */
    private static final Instant DURING = Instant.now().minus(5, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
    /** After the reconciliation. */
    private static final Instant AFTER = Instant.now().plus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);

    @Inject
    WorkOsEventSync sync;

    private WorkOsWire wire;
    /** A member added through our API (WorkOS never knew the membership). */
    private TestUser local;
    /** The newest event WorkOS had when the reconciliation started. */
    private JsonObject latest;

    @BeforeEach
    void fresh() {
        WorkOsFixture.fresh(sync);
        wire = new WorkOsWire();
    }

    private WorkOsEventSync.Result sync() {
        return WorkOsFixture.run(sync);
    }

    /**
     * What we had before the outage, through events: org A with users 1-5 (1 owner, 2 member, 3 admin, 4 member,
     * 5 inactive member), and a member added through our API; then the sync stops for 40 days.
     */
    private UUID before() {
        List<JsonObject> events = new ArrayList<>();
        events.add(wire.event("organization.created", wire.org("A", "Alpha", BEFORE), BEFORE));
        for (int n = 1; n <= 5; n++) {
            events.add(wire.event("user.created", wire.user(n, "First" + n, BEFORE), BEFORE));
        }
        events.add(wire.event("organization_membership.created", wire.membership(1, "A", "owner", "active", BEFORE), BEFORE));
        events.add(wire.event("organization_membership.created", wire.membership(2, "A", "member", "active", BEFORE), BEFORE));
        events.add(wire.event("organization_membership.created", wire.membership(3, "A", "admin", "active", BEFORE), BEFORE));
        events.add(wire.event("organization_membership.created", wire.membership(4, "A", "member", "active", BEFORE), BEFORE));
        events.add(
                wire.event("organization_membership.created", wire.membership(5, "A", "member", "inactive", BEFORE), BEFORE));
        WorkOsWire.serveEvents(events);
        assertEquals(11, sync().applied());
        UUID org = wire.ourOrg("A");
        local = Tenants.memberOf(org, "member");
        WorkOsWire.ageCursor(40);
        WorkOsTestResource.server().resetAll();
        return org;
    }

    /**
     * What WorkOS lists now: A renamed, B new (owner: new user 7); user 2 renamed; membership 3 demoted, 4 gone, 5
     * reactivated, 1 and 2 unchanged, 8 new (new user 8). Organizations and users come in two pages each.
     */
    private void workOsNow(boolean memberships) {
        latest = wire.event("organization_membership.updated", wire.membership(5, "A", "member", "active", DURING),
                DURING);
        WorkOsWire.serveLatestEvent(latest);
        WorkOsWire.serveOrganizations(List.of(List.of(wire.org("A", "Alpha renamed", DURING)),
                List.of(wire.org("B", "Beta", DURING))));
        WorkOsWire.serveUsers(List.of(
                List.of(wire.user(1, "First1", BEFORE), wire.user(2, "Renamed2", DURING), wire.user(3, "First3", BEFORE),
                        wire.user(4, "First4", BEFORE)),
                List.of(wire.user(5, "First5", BEFORE), wire.user(7, "Seven", DURING), wire.user(8, "Eight", DURING))));
        if (memberships) {
            wire.serveMemberships("A", List.of(
                    List.of(wire.membership(1, "A", "owner", "active", BEFORE),
                            wire.membership(2, "A", "member", "active", BEFORE),
                            wire.membership(3, "A", "member", "active", DURING)),
                    List.of(wire.membership(5, "A", "member", "active", DURING),
                            wire.membership(8, "A", "member", "active", DURING))));
        }
        wire.serveMemberships("B", List.of(List.of(wire.membership(7, "B", "owner", "active", DURING))));
    }

    private void assertReconciled(UUID a, long historyBefore, long seatsBefore) {
        assertEquals("Alpha renamed", TestDatabase.value("SELECT name FROM core.organizations WHERE id = ?", a));
        assertEquals("Renamed2 Wire", TestDatabase.value(
                "SELECT display_name FROM core.users WHERE workos_user_id = ?", wire.userId(2)));
        assertEquals("owner/active", wire.membershipOf(a, 1));
        assertEquals("member/active", wire.membershipOf(a, 2));
        assertEquals("member/active", wire.membershipOf(a, 3)); // updated
        assertNull(wire.membershipOf(a, 4)); // removed: WorkOS no longer lists it
        assertEquals("member/active", wire.membershipOf(a, 5)); // reactivated
        assertEquals("member/active", wire.membershipOf(a, 8)); // created, and its user
        assertEquals("member/active", TestDatabase.value(
                "SELECT role || '/' || status FROM core.memberships WHERE org_id = ? AND user_id = ?", a, local.id()));
        assertEquals(1, count("SELECT count(*) FROM core.users WHERE workos_user_id = ?", wire.userId(4))); // kept
        UUID b = wire.ourOrg("B");
        assertNotNull(b);
        assertEquals("Beta", TestDatabase.value("SELECT name FROM core.organizations WHERE id = ?", b));
        assertEquals("owner/active", wire.membershipOf(b, 7));

        // each change once, through the write path, as WorkOS: 3 demoted, 4 removed, 5 reactivated, 8 added
        assertEquals(historyBefore + 4, count("SELECT count(*) FROM core.membership_history WHERE org_id = ?", a));
        assertEquals(1, count("""
                SELECT count(*) FROM core.membership_history WHERE org_id = ? AND user_id = ? AND source = 'workos'
                AND from_role = 'member' AND to_role IS NULL""", a, wire.ourUser(4)));
        // seats: 4 freed one, 5 and 8 took one
        assertEquals(seatsBefore + 3, count("SELECT count(*) FROM billing.seat_changes WHERE org_id = ?", a));
        assertEquals(1, count("SELECT count(*) FROM billing.seat_changes WHERE org_id = ?", b));
        assertEquals(1, count("SELECT count(*) FROM core.workos_tombstones WHERE workos_id = ?", wire.membershipId(4)));
        assertEquals(wire.membershipId(8), TestDatabase.value(
                "SELECT workos_membership_id FROM core.memberships WHERE org_id = ? AND user_id = ?", a, wire.ourUser(8)));
    }

    @Test
    void aStaleCursorReconcilesThroughTheListsThenTheNextRunReadsEventsFromTheNewestEventAtItsStart() {
        UUID a = before();
        long history = count("SELECT count(*) FROM core.membership_history WHERE org_id = ?", a);
        long seats = count("SELECT count(*) FROM billing.seat_changes WHERE org_id = ?", a);
        workOsNow(true);
        Instant started = Instant.now();

        WorkOsEventSync.Result result = sync();

        assertTrue(result.reconciled(), result.toString());
        assertNull(result.failedEventId());
        assertFalse(result.readFailed());
        assertReconciled(a, history, seats);
        // the events were not read: the cursor is where WorkOS's newest event was, fresh as of the start
        assertEquals(0, WorkOsTestResource.server().findAll(getRequestedFor(urlPathEqualTo("/events"))
                .withQueryParam("order", equalTo("asc"))).size());
        assertEquals(latest.getString("id"), WorkOsWire.cursor());
        Instant fresh = ((java.sql.Timestamp) TestDatabase.value(
                "SELECT synced_through FROM core.workos_sync_cursor WHERE stream = ?", WorkOsEventSync.STREAM)).toInstant();
        assertFalse(fresh.isBefore(started.truncatedTo(ChronoUnit.MILLIS)), fresh + " vs " + started);

        // the next run reads events after that one: the echo of what the lists showed changes nothing, the rest applies
        JsonObject echo = wire.event("organization_membership.updated", wire.membership(8, "A", "member", "active", DURING),
                AFTER);
        JsonObject next = wire.event("organization_membership.updated", wire.membership(2, "A", "member", "inactive", AFTER),
                AFTER);
        WorkOsWire.serveEvents(List.of(latest, echo, next));

        WorkOsEventSync.Result after = sync();

        assertFalse(after.reconciled());
        assertEquals(2, after.applied());
        assertEquals(next.getString("id"), WorkOsWire.cursor());
        assertEquals("member/inactive", wire.membershipOf(a, 2));
        assertEquals(history + 5, count("SELECT count(*) FROM core.membership_history WHERE org_id = ?", a));
        assertEquals(1, WorkOsTestResource.server().findAll(getRequestedFor(urlPathEqualTo("/events"))
                .withQueryParam("order", equalTo("asc")).withQueryParam("after", equalTo(latest.getString("id")))).size());
    }

    @Test
    void aReconciliationThatFailsHalfwayChangesTheCursorNotAndItsRerunAppliesEachChangeOnce() {
        UUID a = before();
        String stale = WorkOsWire.cursor();
        long history = count("SELECT count(*) FROM core.membership_history WHERE org_id = ?", a);
        long seats = count("SELECT count(*) FROM billing.seat_changes WHERE org_id = ?", a);
        workOsNow(false);
        // org A's memberships: the first page is read and applied, the second fails
        WorkOsTestResource.server().stubFor(get(urlPathEqualTo("/user_management/organization_memberships"))
                .withQueryParam("after", equalTo(wire.membershipId(3)))
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"Service Unavailable\"}")));
        WorkOsTestResource.server().stubFor(get(urlPathEqualTo("/user_management/organization_memberships"))
                .withQueryParam("organization_id", equalTo(wire.orgId("A")))
                .withQueryParam("after", absent())
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(WorkOsWire.list(List.of(wire.membership(1, "A", "owner", "active", BEFORE),
                                wire.membership(2, "A", "member", "active", BEFORE),
                                wire.membership(3, "A", "member", "active", DURING)), wire.membershipId(3)).encode())));

        WorkOsEventSync.Result failed = sync();

        assertTrue(failed.readFailed(), failed.toString());
        assertFalse(failed.reconciled());
        assertEquals(stale, WorkOsWire.cursor());
        assertEquals("member/active", wire.membershipOf(a, 3)); // applied before the failure, and stays
        assertEquals("member/active", wire.membershipOf(a, 4)); // nothing removed from an unfinished list
        assertEquals("member/inactive", wire.membershipOf(a, 5));
        assertEquals(history + 1, count("SELECT count(*) FROM core.membership_history WHERE org_id = ?", a));

        WorkOsTestResource.server().resetAll();
        workOsNow(true);
        sync.resetBackoff().await().indefinitely();

        WorkOsEventSync.Result rerun = sync();

        assertTrue(rerun.reconciled(), rerun.toString());
        assertReconciled(a, history, seats);
        assertEquals(latest.getString("id"), WorkOsWire.cursor());
    }

    @Test
    void aCursorWorkOsRefusesStartsAReconciliation() {
        UUID a = before();
        TestDatabase.sql("""
                UPDATE core.workos_sync_cursor SET last_event_at = now(), synced_through = now() WHERE stream = ?""",
                WorkOsEventSync.STREAM);
        String refused = WorkOsWire.cursor();
        WorkOsTestResource.server().stubFor(get(urlPathEqualTo("/events")).withQueryParam("order", equalTo("asc"))
                .withQueryParam("after", equalTo(refused))
                .willReturn(aResponse().withStatus(422).withHeader("Content-Type", "application/json")
                        .withBody(new JsonObject().put("message", "Validation failed.").put("errors",
                                List.of(Map.of("code", "invalid", "field", "after"))).encode())));
        long history = count("SELECT count(*) FROM core.membership_history WHERE org_id = ?", a);
        long seats = count("SELECT count(*) FROM billing.seat_changes WHERE org_id = ?", a);
        workOsNow(true);

        WorkOsEventSync.Result result = sync();

        assertTrue(result.reconciled(), result.toString());
        assertReconciled(a, history, seats);
        assertEquals(latest.getString("id"), WorkOsWire.cursor());
    }

    @Test
    void aReconciliationWithNoEventAtAllStartsReadingFromTheOldestEventWorkOsKeeps() {
        WorkOsWire.serveLatestEvent(null);
        WorkOsWire.serveOrganizations(List.of(List.of(wire.org("A", "Quiet", DURING))));
        WorkOsWire.serveUsers(List.of(List.of(wire.user(1, "Only", DURING))));
        wire.serveMemberships("A", List.of(List.of(wire.membership(1, "A", "owner", "active", DURING))));
        TestDatabase.sql(
                """
                        INSERT INTO core.workos_sync_cursor (stream, after_id, last_event_at) VALUES (?, 'event_01GONE', now() - interval '60 days')""",
                WorkOsEventSync.STREAM);

        WorkOsEventSync.Result result = sync();

        assertTrue(result.reconciled(), result.toString());
        assertEquals("owner/active", wire.membershipOf(wire.ourOrg("A"), 1));
        assertNull(WorkOsWire.cursor());
        assertEquals(1, count(
                "SELECT count(*) FROM core.workos_sync_cursor WHERE stream = ? AND synced_through > now() - interval '1 hour'",
                WorkOsEventSync.STREAM));
        // the next run reads from the start of what WorkOS keeps, and is not a reconciliation again
        JsonObject first = wire.event("user.updated", wire.user(1, "Later", AFTER), AFTER);
        WorkOsWire.serveEvents(List.of(first));
        WorkOsEventSync.Result next = sync();
        assertFalse(next.reconciled());
        assertEquals(1, next.applied());
        assertEquals(first.getString("id"), WorkOsWire.cursor());
    }
}
