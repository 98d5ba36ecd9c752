package dev.huddle.core.identity;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.huddle.platform.outbox.Channels;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class WorkOsEventSyncTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-02T10:00:00Z");

    @Inject
    WorkOsEventSync sync;

    private String run;
    private int seq;

    @BeforeEach
    void fresh() {
        WorkOsFixture.fresh(sync);
        run = UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
        seq = 0;
    }

    // --- WorkOS wire format ---

    private JsonObject event(String type, JsonObject data) {
        seq++;
        return new JsonObject().put("object", "event").put("id", String.format("event_01%s%04d", run, seq))
                .put("event", type).put("data", data)
                .put("created_at", T0.plusSeconds(seq).toString());
    }

    private String userId(int n) {
        return "user_01" + run + "U" + n;
    }

    private String email(int n) {
        return "sync" + n + "-" + run.toLowerCase() + "@example.test";
    }

    private JsonObject user(int n, String firstName, Instant updatedAt) {
        return new JsonObject().put("object", "user").put("id", userId(n)).put("email", email(n))
                .put("email_verified", true).put("first_name", firstName).put("last_name", "Sync")
                .put("profile_picture_url", null).put("created_at", T0.toString()).put("updated_at", updatedAt.toString());
    }

    private String orgId() {
        return "org_01" + run;
    }

    private JsonObject org(String name, Instant updatedAt) {
        return new JsonObject().put("object", "organization").put("id", orgId()).put("name", name)
                .put("domains", new JsonArray()).put("created_at", T0.toString()).put("updated_at", updatedAt.toString());
    }

    private JsonObject membership(int n, String role, String status, Instant updatedAt) {
        return new JsonObject().put("object", "organization_membership").put("id", "om_01" + run + "M" + n)
                .put("user_id", userId(n)).put("organization_id", orgId()).put("status", status)
                .put("role", new JsonObject().put("slug", role))
                .put("created_at", T0.toString()).put("updated_at", updatedAt.toString());
    }

    /** Serves the events like WorkOS: after any of their ids (or none), the next page, oldest first. */
    private static void serve(List<JsonObject> events) {
        for (int i = 0; i <= events.size(); i++) {
            List<JsonObject> page = events.subList(i, Math.min(events.size(), i + 100));
            JsonObject body = new JsonObject().put("object", "list").put("data", new JsonArray(new ArrayList<>(page)))
                    .put("list_metadata", new JsonObject().put("before", null)
                            .put("after", page.isEmpty() ? null : page.get(page.size() - 1).getString("id")));
            var request = get(urlPathEqualTo("/events"))
                    .withHeader("Authorization", equalTo("Bearer " + WorkOsTestResource.API_KEY))
                    .withQueryParam("events", equalTo(String.join(",", WorkOsEventSync.TYPES)))
                    .withQueryParam("order", equalTo("asc"))
                    .withQueryParam("limit", equalTo("100"))
                    .withQueryParam("after", i == 0 ? absent() : equalTo(events.get(i - 1).getString("id")));
            WorkOsTestResource.server().stubFor(request.willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody(body.encode())));
        }
    }

    private WorkOsEventSync.Result sync() {
        return WorkOsFixture.run(sync);
    }

    private static String cursor() {
        List<Map<String, Object>> rows = TestDatabase.sql(
                "SELECT after_id FROM core.workos_sync_cursor WHERE stream = ?", WorkOsEventSync.STREAM);
        return rows.isEmpty() ? null : (String) rows.get(0).get("after_id");
    }

    private UUID ourOrg() {
        return (UUID) TestDatabase.value("SELECT id FROM core.organizations WHERE workos_org_id = ?", orgId());
    }

    private long count(String sql, Object... params) {
        return ((Number) TestDatabase.value(sql, params)).longValue();
    }

    private String membershipOf(UUID org, int n) {
        List<Map<String, Object>> rows = TestDatabase.sql("""
                SELECT m.role || '/' || m.status AS s FROM core.memberships m JOIN core.users u ON u.id = m.user_id
                WHERE m.org_id = ? AND u.workos_user_id = ?""", org, userId(n));
        return rows.isEmpty() ? null : (String) rows.get(0).get("s");
    }

    /** 100 events; the 37th creates a user whose email another account has (any case). */
    private List<JsonObject> hundredEvents() {
        List<JsonObject> events = new ArrayList<>();
        events.add(event("organization.created", org("Synced " + run, T0))); // 1
        for (int n = 1; n <= 30; n++) {
            events.add(event("user.created", user(n, "First" + n, T0))); // 2-31
        }
        for (int n = 1; n <= 5; n++) {
            events.add(event("organization_membership.created",
                    membership(n, n == 1 ? "owner" : "member", "active", T0))); // 32-36
        }
        events.add(event("user.created", user(31, "Late", T0))); // 37
        events.add(event("organization_membership.created", membership(31, "member", "active", T0))); // 38
        for (int n = 6; n <= 30; n++) {
            events.add(event("organization_membership.created",
                    membership(n, n == 7 ? "custom-role" : "member", "active", T0))); // 39-63
        }
        for (int n = 6; n <= 15; n++) {
            events.add(event("organization_membership.updated", membership(n, "admin", "active", T1))); // 64-73
        }
        for (int n = 16; n <= 20; n++) {
            events.add(event("organization_membership.updated", membership(n, "member", "inactive", T1))); // 74-78
        }
        for (int n = 1; n <= 5; n++) {
            events.add(event("user.updated", user(n, "Renamed" + n, T1))); // 79-83
        }
        events.add(event("organization.updated", org("Renamed " + run, T1))); // 84
        for (int n = 6; n <= 20; n++) {
            events.add(event("user.updated", user(n, "Again" + n, T1))); // 85-99
        }
        events.add(event("organization_membership.deleted", membership(30, "member", "active", T1))); // 100
        assertEquals(100, events.size());
        return events;
    }

    @Test
    void aFailureAtEvent37LeavesTheCursorAt36AndTheRerunResumesThereAndAReplayChangesNothing() {
        List<JsonObject> events = hundredEvents();
        serve(events);
        UUID blocker = (UUID) TestDatabase.value(
                "INSERT INTO core.users (workos_user_id, email) VALUES (?, ?) RETURNING id",
                "user_01" + run + "OTHER", email(31).toUpperCase());

        WorkOsEventSync.Result first = sync();

        assertTrue(first.ran());
        assertEquals(36, first.applied());
        assertEquals(events.get(36).getString("id"), first.failedEventId());
        assertEquals(events.get(35).getString("id"), cursor());
        UUID org = ourOrg();
        assertEquals("member/active", membershipOf(org, 5)); // event 36 applied
        assertEquals(5, count("SELECT count(*) FROM core.memberships WHERE org_id = ?", org)); // 38+ not
        assertEquals(0, count("SELECT count(*) FROM core.users WHERE workos_user_id = ?", userId(31)));
        assertEquals(1, count("SELECT attempts FROM core.workos_poison_events WHERE event_id = ?",
                events.get(36).getString("id")));

        TestDatabase.sql("DELETE FROM core.users WHERE id = ?", blocker);
        WorkOsEventSync.Result second = sync();

        assertEquals(64, second.applied());
        assertNull(second.failedEventId());
        assertEquals(events.get(99).getString("id"), cursor());
        assertEquals(0, count("SELECT count(*) FROM core.workos_poison_events WHERE event_id = ?",
                events.get(36).getString("id")));
        assertFinalState(org);

        // WorkOS was asked after event 36, then after event 100 (nothing more)
        assertEquals(1, WorkOsTestResource.server().findAll(getRequestedFor(urlPathEqualTo("/events"))
                .withQueryParam("after", equalTo(events.get(35).getString("id")))).size());

        // replaying the whole page (an older cursor) changes nothing: older updated_at and deleted ids are ignored
        long history = count("SELECT count(*) FROM core.membership_history WHERE org_id = ?", org);
        long seats = count("SELECT count(*) FROM billing.seat_changes WHERE org_id = ?", org);
        long outbox = count("SELECT count(*) FROM realtime.outbox WHERE channel = ?", Channels.org(org));
        Object usersStamp = TestDatabase.value(
                "SELECT max(updated_at) FROM core.users WHERE workos_user_id LIKE ?", "user_01" + run + "%");
        TestDatabase.sql("DELETE FROM core.workos_sync_cursor");

        WorkOsEventSync.Result replay = sync();

        assertEquals(100, replay.applied());
        assertEquals(history, count("SELECT count(*) FROM core.membership_history WHERE org_id = ?", org));
        assertEquals(seats, count("SELECT count(*) FROM billing.seat_changes WHERE org_id = ?", org));
        assertEquals(outbox, count("SELECT count(*) FROM realtime.outbox WHERE channel = ?", Channels.org(org)));
        assertEquals(usersStamp, TestDatabase.value(
                "SELECT max(updated_at) FROM core.users WHERE workos_user_id LIKE ?", "user_01" + run + "%"));
        assertFinalState(org);
    }

    /** What applying the 100 events once, in order, gives. */
    private void assertFinalState(UUID org) {
        assertEquals("Renamed " + run, TestDatabase.value("SELECT name FROM core.organizations WHERE id = ?", org));
        assertEquals(30, count("SELECT count(*) FROM core.memberships WHERE org_id = ?", org));
        assertEquals("owner/active", membershipOf(org, 1));
        assertEquals("member/active", membershipOf(org, 2));
        assertEquals("admin/active", membershipOf(org, 7)); // custom slug -> member, then admin
        assertEquals("admin/active", membershipOf(org, 15));
        assertEquals("member/inactive", membershipOf(org, 16));
        assertEquals("member/active", membershipOf(org, 21));
        assertEquals("member/active", membershipOf(org, 31));
        assertNull(membershipOf(org, 30));
        assertEquals(31, count("SELECT count(*) FROM core.users WHERE workos_user_id LIKE ?", "user_01" + run + "U%"));
        assertEquals("Renamed3 Sync", TestDatabase.value(
                "SELECT display_name FROM core.users WHERE workos_user_id = ?", userId(3)));
        assertEquals("Again20 Sync", TestDatabase.value(
                "SELECT display_name FROM core.users WHERE workos_user_id = ?", userId(20)));
        assertEquals("First25 Sync", TestDatabase.value(
                "SELECT display_name FROM core.users WHERE workos_user_id = ?", userId(25)));
        // every change once: 31 added, 10 promoted, 5 deactivated, 1 removed
        assertEquals(47, count("SELECT count(*) FROM core.membership_history WHERE org_id = ? AND source = 'workos'", org));
        // 31 activated, 5 deactivated, 1 active member removed
        assertEquals(37, count("SELECT count(*) FROM billing.seat_changes WHERE org_id = ?", org));
        // org.created, 47 member events, org.updated
        assertEquals(49, count("SELECT count(*) FROM realtime.outbox WHERE channel = ?", Channels.org(org)));
        assertEquals("om_01" + run + "M2", TestDatabase.value("""
                SELECT m.workos_membership_id FROM core.memberships m JOIN core.users u ON u.id = m.user_id
                WHERE m.org_id = ? AND u.workos_user_id = ?""", org, userId(2)));
    }

    @Test
    void olderDataIsIgnored() {
        serve(List.of(
                event("organization.created", org("New " + run, T1)),
                event("user.created", user(1, "New", T1)),
                event("organization_membership.created", membership(1, "admin", "active", T1)),
                event("organization.updated", org("Old " + run, T0)),
                event("user.updated", user(1, "Old", T0)),
                event("organization_membership.updated", membership(1, "member", "inactive", T0))));

        assertEquals(6, sync().applied());

        UUID org = ourOrg();
        assertEquals("New " + run, TestDatabase.value("SELECT name FROM core.organizations WHERE id = ?", org));
        assertEquals("New Sync", TestDatabase.value(
                "SELECT display_name FROM core.users WHERE workos_user_id = ?", userId(1)));
        assertEquals("admin/active", membershipOf(org, 1));
        assertEquals(1, count("SELECT count(*) FROM core.membership_history WHERE org_id = ?", org));
    }

    @Test
    void anEventThatKeepsFailingIsRecordedAsPoisonAndSkippedAfterThreeAttempts() {
        JsonObject bad = event("organization_membership.created", membership(1, "member", "suspended", T0));
        List<JsonObject> events = List.of(
                event("organization.created", org("Poisoned " + run, T0)),
                event("user.created", user(1, "One", T0)),
                bad,
                event("user.created", user(2, "Two", T0)));
        serve(events);

        WorkOsEventSync.Result first = sync();
        assertEquals(bad.getString("id"), first.failedEventId());
        assertEquals(events.get(1).getString("id"), cursor());
        WorkOsEventSync.Result second = sync();
        assertEquals(bad.getString("id"), second.failedEventId());
        assertEquals(0, second.applied());
        assertEquals(events.get(1).getString("id"), cursor());

        WorkOsEventSync.Result third = sync();

        assertEquals(1, third.poisoned());
        assertEquals(1, third.applied());
        assertNull(third.failedEventId());
        assertEquals(events.get(3).getString("id"), cursor());
        Map<String, Object> poison = TestDatabase.sql(
                "SELECT event_type, error, attempts, skipped_at, payload::text AS payload FROM core.workos_poison_events WHERE event_id = ?",
                bad.getString("id")).get(0);
        assertEquals("organization_membership.created", poison.get("event_type"));
        assertEquals(3, poison.get("attempts"));
        assertTrue(poison.get("skipped_at") != null);
        assertTrue(((String) poison.get("error")).contains("suspended"), (String) poison.get("error"));
        assertEquals(bad, new JsonObject((String) poison.get("payload")));
        assertEquals(1, count("SELECT count(*) FROM core.users WHERE workos_user_id = ?", userId(2)));
        assertNull(membershipOf(ourOrg(), 1));
    }

    @Test
    void aWorkOsErrorLeavesTheCursorUnchangedAndBacksOff() {
        List<JsonObject> events = List.of(event("user.created", user(1, "One", T0)));
        serve(events);
        assertEquals(1, sync().applied());
        String before = cursor();
        WorkOsTestResource.server().resetAll();
        WorkOsTestResource.server().stubFor(get(urlPathEqualTo("/events")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Internal Server Error\"}")));

        WorkOsEventSync.Result failed = sync();

        assertTrue(failed.ran());
        assertTrue(failed.readFailed());
        assertEquals(before, cursor());
        // backing off: the next run does not call WorkOS
        int calls = WorkOsTestResource.server().getAllServeEvents().size();
        assertFalse(sync().ran());
        assertEquals(calls, WorkOsTestResource.server().getAllServeEvents().size());

        WorkOsTestResource.server().stubFor(get(urlPathEqualTo("/events")).willReturn(aResponse().withStatus(429)));
        sync.resetBackoff().await().indefinitely();
        assertTrue(sync().readFailed());
        assertEquals(before, cursor());
    }

    @Test
    void aDeletedUserLosesTheirMembershipsThroughTheWritePathAndTheirMessagesStayWithoutAuthor() {
        List<JsonObject> setup = new ArrayList<>(List.of(
                event("organization.created", org("Deleting " + run, T0)),
                event("user.created", user(1, "Owner", T0)),
                event("user.created", user(2, "Leaving", T0)),
                event("organization_membership.created", membership(1, "owner", "active", T0)),
                event("organization_membership.created", membership(2, "admin", "active", T0))));
        serve(setup);
        assertEquals(5, sync().applied());
        UUID org = ourOrg();
        UUID leaving = (UUID) TestDatabase.value("SELECT id FROM core.users WHERE workos_user_id = ?", userId(2));
        UUID room = dev.huddle.testing.Tenants.room(org, "Kept");
        UUID message = (UUID) TestDatabase.value(
                "INSERT INTO core.messages (org_id, room_id, author_id, body) VALUES (?, ?, ?, 'hello') RETURNING id",
                org, room, leaving);

        List<JsonObject> all = new ArrayList<>(setup);
        all.add(event("user.deleted", user(2, "Leaving", T1)));
        // a user and an org WorkOS never told us about: skipped, not failed
        JsonObject unknown = membership(3, "member", "active", T1).put("organization_id", "org_01" + run + "NOPE");
        all.add(event("organization_membership.created", unknown));
        all.add(event("organization_membership.created", membership(4, "member", "active", T1)));
        all.add(event("user.created", user(2, "Leaving", T0))); // a replayed create of the deleted user
        serve(all);

        WorkOsEventSync.Result result = sync();

        assertEquals(4, result.applied());
        assertNull(result.failedEventId());
        assertEquals(all.get(8).getString("id"), cursor());
        assertEquals(0, count("SELECT count(*) FROM core.users WHERE workos_user_id = ?", userId(2)));
        assertEquals(1, count("SELECT count(*) FROM core.memberships WHERE org_id = ?", org));
        assertEquals(1, count("""
                SELECT count(*) FROM core.membership_history
                WHERE org_id = ? AND user_id = ? AND source = 'workos' AND to_status IS NULL AND from_role = 'admin'""",
                org, leaving));
        assertEquals(1,
                count("SELECT count(*) FROM billing.seat_changes WHERE org_id = ? AND reason = 'member_deactivated'", org));
        assertEquals(1, count("SELECT count(*) FROM core.messages WHERE id = ? AND author_id IS NULL", message));
        assertEquals("owner/active", membershipOf(org, 1));
    }
}
