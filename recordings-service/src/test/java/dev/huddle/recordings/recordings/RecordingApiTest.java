package dev.huddle.recordings.recordings;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RecordingApiTest {

    private static final String LIST = "/v1/recordings/orgs/{orgId}/recordings";
    private static final String ONE = LIST + "/{recordingId}";

    @Test
    void listFiltersByRoomStatusAndCreatedAtAcrossPages() {
        UUID org = Tenants.org("Filters");
        UUID roomA = Tenants.room(org, "A");
        UUID roomB = Tenants.room(org, "B");
        String token = Tenants.memberOf(org, "member").token();
        UUID a1 = insert(org, roomA, "ready", 10, null);
        UUID a2 = insert(org, roomA, "ready", 20, null);
        UUID a3 = insert(org, roomA, "ready", 30, null);
        insert(org, roomA, "failed", 15, null);
        insert(org, roomB, "ready", 12, null);
        insert(org, roomA, "ready", 60 * 24 * 3, null); // three days ago

        String cursor = given().auth().oauth2(token)
                .queryParam("roomId", roomA).queryParam("status", "ready")
                .queryParam("from", java.time.OffsetDateTime.now().minusDays(1).toString()).queryParam("limit", 2)
                .when().get(LIST, org).then().statusCode(200)
                .body("items.id", contains(a1.toString(), a2.toString()))
                .extract().path("nextCursor");
        given().auth().oauth2(token)
                .queryParam("roomId", roomA).queryParam("status", "ready")
                .queryParam("from", java.time.OffsetDateTime.now().minusDays(1).toString()).queryParam("limit", 2)
                .queryParam("cursor", cursor)
                .when().get(LIST, org).then().statusCode(200)
                .body("items.id", contains(a3.toString())).body("nextCursor", nullValue());
        given().auth().oauth2(token)
                .queryParam("to", java.time.OffsetDateTime.now().minusMinutes(25).toString())
                .queryParam("status", "ready")
                .when().get(LIST, org).then().statusCode(200)
                .body("items.size()", is(2));
    }

    @Test
    void badFiltersAre400() {
        UUID org = Tenants.org("BadFilters");
        String token = Tenants.memberOf(org, "member").token();
        given().auth().oauth2(token).queryParam("status", "done")
                .when().get(LIST, org).then().statusCode(400).body("errors.field", hasItem("status"));
        given().auth().oauth2(token).queryParam("from", "yesterday")
                .when().get(LIST, org).then().statusCode(400).body("errors.field", hasItem("from"));
    }

    @Test
    void getsOneRecordingAndAnotherOrgsIs404() {
        UUID org = Tenants.org("Mine");
        UUID other = Tenants.org("Theirs");
        UUID mine = insert(org, null, "ready", 1, null);
        UUID theirs = insert(other, null, "ready", 1, null);
        String token = Tenants.memberOf(org, "member").token();
        given().auth().oauth2(token).when().get(ONE, org, mine).then().statusCode(200)
                .body("id", equalTo(mine.toString())).body("status", equalTo("ready"));
        given().auth().oauth2(token).when().get(ONE, org, theirs).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(token).when().get(ONE, other, theirs).then().statusCode(404);
    }

    @Test
    void anAdminDeletesARecordingAndQueuesItsObject() {
        UUID org = Tenants.org("Deleting");
        UUID room = Tenants.room(org, "R");
        UUID id = insert(org, room, "ready", 1, "s3://bucket/rec/" + UUID.randomUUID() + ".mp4");
        given().auth().oauth2(Tenants.memberOf(org, "member").token())
                .when().delete(ONE, org, id).then().statusCode(403);
        given().auth().oauth2(Tenants.memberOf(org, "admin").token())
                .when().delete(ONE, org, id).then().statusCode(204);

        assertThat(TestDatabase.value("SELECT count(*) FROM recordings.recordings WHERE id = ?", id), is(0L));
        List<Map<String, Object>> queued = TestDatabase.sql(
                "SELECT org_id, location, reason FROM recordings.storage_deletions WHERE recording_id = ?", id);
        assertThat(queued.size(), is(1));
        assertThat(queued.get(0).get("reason"), is("deleted"));
        assertThat(TestDatabase.value("""
                SELECT count(*) FROM realtime.outbox WHERE channel = ? AND payload->>'type' = 'recording.deleted'
                AND payload->'data'->>'recordingId' = ?""", "org:" + org, id.toString()), is(1L));
    }

    @Test
    void deletingAnotherOrgsRecordingIs404AndKeepsIt() {
        UUID theirs = Tenants.org("TheirOrg");
        UUID id = insert(theirs, null, "ready", 1, "s3://bucket/x.mp4");
        UUID mine = Tenants.org("MyOrg");
        String myAdmin = Tenants.memberOf(mine, "admin").token();
        given().auth().oauth2(myAdmin).when().delete(ONE, mine, id).then().statusCode(404);
        given().auth().oauth2(myAdmin).when().delete(ONE, theirs, id).then().statusCode(404);
        assertThat(TestDatabase.value("SELECT count(*) FROM recordings.recordings WHERE id = ?", id), is(1L));
        assertThat(TestDatabase.value("SELECT count(*) FROM recordings.storage_deletions WHERE recording_id = ?", id),
                is(0L));
    }

    private static UUID insert(UUID org, UUID room, String status, int minutesAgo, String location) {
        return (UUID) TestDatabase.value("""
                INSERT INTO recordings.recordings (org_id, room_id, egress_id, status, location, created_at)
                VALUES (?, ?, ?, ?, ?, now() - make_interval(mins => ?)) RETURNING id""",
                org, room, "EG_" + UUID.randomUUID(), status, location, minutesAgo);
    }
}
