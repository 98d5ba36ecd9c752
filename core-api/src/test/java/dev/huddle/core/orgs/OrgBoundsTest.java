package dev.huddle.core.orgs;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.huddle.core.ratelimit.BoundsTestProfile;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.Tenants.TestUser;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** Bounded lists and bodies of orgs, and the caps on creating them (#12). */
@QuarkusTest
@TestProfile(BoundsTestProfile.class)
class OrgBoundsTest {

    private static Response create(TestUser user, String body) {
        return given().auth().oauth2(user.token()).contentType("application/json").body(body).when().post("/v1/orgs");
    }

    private static long createdBy(TestUser user) {
        return ((Number) TestDatabase.value("SELECT count(*) FROM core.organizations WHERE created_by = ?", user.id()))
                .longValue();
    }

    /** The user owns {@code n} more orgs, created long ago by WorkOS sync (so not counted as created today). */
    private static List<UUID> owns(TestUser user, int n, String role) {
        return TestDatabase.sql("""
                WITH o AS (INSERT INTO core.organizations (name, created_at)
                           SELECT 'Owned ' || g, now() - interval '30 days' FROM generate_series(1, ?) g RETURNING id)
                INSERT INTO core.memberships (org_id, user_id, role, status, created_at)
                SELECT id, ?, ?, 'active', clock_timestamp() FROM o RETURNING org_id""", n, user.id(), role)
                .stream().map(r -> (UUID) r.get("org_id")).toList();
    }

    @Test
    void the201stOrgOneUserCreatesInADayIs429WithRetryAfterAndCreatesNothing() {
        TestUser user = Tenants.user();
        for (int i = 0; i < BoundsTestProfile.MAX_CREATED_PER_DAY; i++) {
            create(user, "{\"name\": \"Org " + i + "\"}").then().statusCode(201);
        }

        Response refused = create(user, "{\"name\": \"One too many\"}");

        refused.then().statusCode(429).contentType("application/problem+json")
                .body("type", equalTo("urn:huddle:problem:rate-limited"));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter > 23 * 3600 && retryAfter <= 24 * 3600, "the oldest creation frees a place: " + retryAfter);
        assertEquals(BoundsTestProfile.MAX_CREATED_PER_DAY, createdBy(user));

        // another user is not affected
        create(Tenants.user(), "{\"name\": \"Mine\"}").then().statusCode(201);
    }

    @Test
    void aUserWhoOwnsTheMostOrgsCannotCreateAnotherButAnAdminOfManyCan() {
        TestUser owner = Tenants.user();
        owns(owner, BoundsTestProfile.MAX_OWNED, "owner");
        create(owner, "{\"name\": \"Too many\"}").then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:huddle:problem:org-limit"));
        assertEquals(0, createdBy(owner));

        TestUser admin = Tenants.user();
        owns(admin, BoundsTestProfile.MAX_OWNED, "admin");
        create(admin, "{\"name\": \"Fine\"}").then().statusCode(201);
    }

    @Test
    void concurrentCreationsCannotPassTheDailyCapTogether() throws Exception {
        TestUser user = Tenants.user();
        TestDatabase.sql("""
                INSERT INTO core.organizations (name, created_by)
                SELECT 'Earlier ' || g, ? FROM generate_series(1, ?) g""", user.id(),
                BoundsTestProfile.MAX_CREATED_PER_DAY - 3);
        List<Callable<Integer>> creations = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String body = "{\"name\": \"Racer " + i + "\"}";
            creations.add(() -> create(user, body).statusCode());
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Integer> f : pool.invokeAll(creations)) {
                statuses.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(3, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(7, statuses.stream().filter(s -> s == 429).count(), statuses.toString());
        assertEquals(BoundsTestProfile.MAX_CREATED_PER_DAY, createdBy(user));
    }

    @Test
    void theCallersOrgsComeInPagesOfAtMost100() {
        TestUser user = Tenants.user();
        List<UUID> all = owns(user, 130, "member");

        Response first = given().auth().oauth2(user.token()).queryParam("limit", 100).when().get("/v1/orgs");
        first.then().statusCode(200);
        List<String> ids = new ArrayList<>(first.path("items.id"));
        assertEquals(100, ids.size());
        String cursor = first.path("nextCursor");
        assertNotNull(cursor);
        Response second = given().auth().oauth2(user.token()).queryParam("limit", 100).queryParam("cursor", cursor)
                .when().get("/v1/orgs");
        second.then().statusCode(200).body("items[0].role", equalTo("member"));
        ids.addAll(second.path("items.id"));
        assertNull(second.path("nextCursor"));
        assertEquals(130, ids.size());
        assertEquals(new HashSet<>(all.stream().map(UUID::toString).toList()), new HashSet<>(ids));
        // newest membership first
        assertEquals(TestDatabase.value("""
                SELECT org_id::text FROM core.memberships WHERE user_id = ?
                ORDER BY created_at DESC, org_id DESC LIMIT 1""", user.id()), ids.get(0));

        given().auth().oauth2(user.token()).when().get("/v1/orgs").then().statusCode(200)
                .body("items.size()", equalTo(50));
        given().auth().oauth2(user.token()).queryParam("limit", 101).when().get("/v1/orgs")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(user.token()).queryParam("cursor", "not-a-cursor").when().get("/v1/orgs")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void settingsOver16KbAreRefusedWith400AndNothingIsWritten() {
        TestUser user = Tenants.user();
        String big = "x".repeat(17 * 1024);
        create(user, "{\"name\": \"Big\", \"settings\": {\"blob\": \"" + big + "\"}}")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("settings"));
        assertEquals(0, createdBy(user));

        // just under the bound is fine; then replacing them with too much is refused and changes nothing
        String fits = "y".repeat(16 * 1024 - 20);
        String id = create(user, "{\"name\": \"Fits\", \"settings\": {\"blob\": \"" + fits + "\"}}")
                .then().statusCode(201).extract().path("id");
        given().auth().oauth2(user.token()).contentType("application/json")
                .body("{\"settings\": {\"blob\": \"" + big + "\"}}").when().patch("/v1/orgs/{orgId}", id)
                .then().statusCode(400).body("errors.field", hasItem("settings"));
        assertEquals(fits, TestDatabase.value("SELECT settings->>'blob' FROM core.organizations WHERE id = ?::uuid", id));
    }

    @Test
    void settingsNestedDeeperThan8LevelsAreRefusedWith400() {
        TestUser user = Tenants.user();
        String eight = "{\"a\":".repeat(7) + "[1]" + "}".repeat(7);
        String nine = "{\"a\":".repeat(8) + "[1]" + "}".repeat(8);
        create(user, "{\"name\": \"Deep\", \"settings\": " + eight + "}").then().statusCode(201);
        create(user, "{\"name\": \"Deeper\", \"settings\": " + nine + "}").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("settings"));
        assertEquals(1, createdBy(user));
    }
}
