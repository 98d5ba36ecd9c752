package dev.huddle.core.identity;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import dev.huddle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * WorkOS objects and answers as its API sends them (organizations, users, organization memberships, events, lists
 * with {@code list_metadata}), and WireMock stubs that serve them the way WorkOS does. One instance per test: its
 * ids are unique to the test.
 */
public final class WorkOsWire {

    public final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    private int seq;

    // --- objects ---

    public String orgId(String name) {
        return "org_01" + run + name;
    }

    public String userId(int n) {
        return "user_01" + run + "U" + n;
    }

    public String membershipId(int n) {
        return "om_01" + run + "M" + n;
    }

    public String email(int n) {
        return "w" + n + "-" + run.toLowerCase() + "@example.test";
    }

    public JsonObject org(String name, String displayName, Instant updatedAt) {
        return new JsonObject().put("object", "organization").put("id", orgId(name)).put("name", displayName)
                .put("allow_profiles_outside_organization", false).put("domains", new JsonArray())
                .put("created_at", "2026-01-15T12:00:00.000Z").put("updated_at", updatedAt.toString());
    }

    public JsonObject user(int n, String firstName, Instant updatedAt) {
        return new JsonObject().put("object", "user").put("id", userId(n)).put("email", email(n))
                .put("email_verified", true).put("first_name", firstName).put("last_name", "Wire")
                .put("profile_picture_url", null).put("last_sign_in_at", null).put("external_id", null)
                .put("created_at", "2026-01-15T12:00:00.000Z").put("updated_at", updatedAt.toString());
    }

    public JsonObject membership(int n, String org, String role, String status, Instant updatedAt) {
        return new JsonObject().put("object", "organization_membership").put("id", membershipId(n))
                .put("user_id", userId(n)).put("organization_id", orgId(org)).put("status", status)
                .put("role", new JsonObject().put("slug", role)).put("directory_managed", false)
                .put("created_at", "2026-01-15T12:00:00.000Z").put("updated_at", updatedAt.toString());
    }

    /** An event, created at {@code createdAt}, with an id after every earlier one of this instance. */
    public JsonObject event(String type, JsonObject data, Instant createdAt) {
        seq++;
        return new JsonObject().put("object", "event").put("id", String.format("event_01%s%04d", run, seq))
                .put("event", type).put("data", data).put("created_at", createdAt.toString());
    }

    /**
     * The events with which WorkOS creates org {@code org} named {@code name} and, for each n from 1, user n and their
     * membership with {@code members[n-1]} = {role slug, status}; everything as of {@code at}.
     */
    public List<JsonObject> orgWithMembers(String org, String name, Instant at, String[]... members) {
        List<JsonObject> events = new ArrayList<>();
        events.add(event("organization.created", org(org, name, at), at));
        for (int n = 1; n <= members.length; n++) {
            events.add(event("user.created", user(n, "User" + n, at), at));
            events.add(event("organization_membership.created",
                    membership(n, org, members[n - 1][0], members[n - 1][1], at), at));
        }
        return events;
    }

    public static JsonObject list(List<JsonObject> data, String after) {
        return new JsonObject().put("object", "list").put("data", new JsonArray(new ArrayList<>(data)))
                .put("list_metadata", new JsonObject().put("before", null).put("after", after));
    }

    // --- stubs ---

    private static ResponseDefinitionBuilder json(int status, JsonObject body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body.encode());
    }

    private static MappingBuilder authorized(MappingBuilder request) {
        return request.withHeader("Authorization", equalTo("Bearer " + WorkOsTestResource.API_KEY));
    }

    /** Serves {@code events} as the Events API does: after any of their ids (or none), the next page, oldest first. */
    public static void serveEvents(List<JsonObject> events) {
        for (int i = 0; i <= events.size(); i++) {
            List<JsonObject> page = events.subList(i, Math.min(events.size(), i + 100));
            JsonObject body = list(page, page.isEmpty() ? null : page.get(page.size() - 1).getString("id"));
            WorkOsTestResource.server().stubFor(authorized(get(urlPathEqualTo("/events")))
                    .withQueryParam("events", equalTo(String.join(",", WorkOsEventSync.TYPES)))
                    .withQueryParam("order", equalTo("asc"))
                    .withQueryParam("limit", equalTo("100"))
                    .withQueryParam("after", i == 0 ? absent() : equalTo(events.get(i - 1).getString("id")))
                    .willReturn(json(200, body)));
        }
    }

    /** The Events API read newest first, as a reconciliation asks for its starting point. */
    public static void serveLatestEvent(JsonObject latest) {
        WorkOsTestResource.server().stubFor(authorized(get(urlPathEqualTo("/events")))
                .withQueryParam("events", equalTo(String.join(",", WorkOsEventSync.TYPES)))
                .withQueryParam("order", equalTo("desc"))
                .withQueryParam("limit", equalTo("1"))
                .willReturn(json(200, list(latest == null ? List.of() : List.of(latest), null))));
    }

    /** A list endpoint in pages, oldest first: page i is served after the last id of page i-1. */
    public static void serveList(String path, Map<String, String> query, List<List<JsonObject>> pages) {
        for (int i = 0; i < pages.size(); i++) {
            List<JsonObject> page = pages.get(i);
            boolean last = i == pages.size() - 1;
            MappingBuilder request = authorized(get(urlPathEqualTo(path)))
                    .withQueryParam("limit", equalTo("100"))
                    .withQueryParam("order", equalTo("asc"))
                    .withQueryParam("after", i == 0 ? absent()
                            : equalTo(lastId(pages.get(i - 1))));
            for (Map.Entry<String, String> param : query.entrySet()) {
                request = request.withQueryParam(param.getKey(), equalTo(param.getValue()));
            }
            WorkOsTestResource.server().stubFor(request.willReturn(json(200,
                    list(page, last || page.isEmpty() ? null : lastId(page)))));
        }
    }

    public static void serveOrganizations(List<List<JsonObject>> pages) {
        serveList("/organizations", Map.of(), pages);
    }

    public static void serveUsers(List<List<JsonObject>> pages) {
        serveList("/user_management/users", Map.of(), pages);
    }

    public void serveMemberships(String org, List<List<JsonObject>> pages) {
        serveList("/user_management/organization_memberships",
                Map.of("organization_id", orgId(org), "statuses", "active,inactive,pending"), pages);
    }

    /** {@code PUT /user_management/organization_memberships/{id}/<action>} answering {@code body} with {@code status}. */
    public void serveMembershipAction(int n, String action, int status, JsonObject body) {
        WorkOsTestResource.server().stubFor(authorized(
                put(urlPathEqualTo("/user_management/organization_memberships/" + membershipId(n) + "/" + action)))
                .willReturn(json(status, body)));
    }

    /**
     * {@code PUT /user_management/organization_memberships/{id}} with {@code {"role_slug": roleSlug}} answering
     * {@code body} with {@code status} (another body is not matched: WireMock answers 404).
     */
    public void serveMembershipUpdate(int n, String roleSlug, int status, JsonObject body) {
        WorkOsTestResource.server().stubFor(authorized(
                put(urlPathEqualTo("/user_management/organization_memberships/" + membershipId(n))))
                .withRequestBody(equalToJson(new JsonObject().put("role_slug", roleSlug).encode()))
                .willReturn(json(status, body)));
    }

    /** {@code DELETE /user_management/organization_memberships/{id}}: 204 without a body, or {@code status} with an error. */
    public void serveMembershipDeletion(int n, int status) {
        ResponseDefinitionBuilder answer = status == 204 ? aResponse().withStatus(204)
                : json(status, new JsonObject().put("message", status == 404
                        ? "Organization membership not found: '" + membershipId(n) + "'."
                        : "Something went wrong"));
        WorkOsTestResource.server().stubFor(authorized(
                delete(urlPathEqualTo("/user_management/organization_memberships/" + membershipId(n))))
                .willReturn(answer));
    }

    private static String lastId(List<JsonObject> page) {
        return page.get(page.size() - 1).getString("id");
    }

    // --- the database ---

    public static long count(String sql, Object... params) {
        return ((Number) TestDatabase.value(sql, params)).longValue();
    }

    public UUID ourOrg(String name) {
        return (UUID) TestDatabase.value("SELECT id FROM core.organizations WHERE workos_org_id = ?", orgId(name));
    }

    public UUID ourUser(int n) {
        return (UUID) TestDatabase.value("SELECT id FROM core.users WHERE workos_user_id = ?", userId(n));
    }

    /** {@code role/status} of user n's membership in our org, null when there is none. */
    public String membershipOf(UUID org, int n) {
        List<Map<String, Object>> rows = TestDatabase.sql("""
                SELECT m.role || '/' || m.status AS s FROM core.memberships m JOIN core.users u ON u.id = m.user_id
                WHERE m.org_id = ? AND u.workos_user_id = ?""", org, userId(n));
        return rows.isEmpty() ? null : (String) rows.get(0).get("s");
    }

    public static String cursor() {
        List<Map<String, Object>> rows = TestDatabase.sql(
                "SELECT after_id FROM core.workos_sync_cursor WHERE stream = ?", WorkOsEventSync.STREAM);
        return rows.isEmpty() ? null : (String) rows.get(0).get("after_id");
    }

    /** Makes the stored cursor look as it does after the sync has not run for {@code days} days. */
    public static void ageCursor(int days) {
        TestDatabase.sql("""
                UPDATE core.workos_sync_cursor
                SET last_event_at = now() - make_interval(days => ?), synced_through = now() - make_interval(days => ?)
                WHERE stream = ?""", days, days, WorkOsEventSync.STREAM);
    }
}
