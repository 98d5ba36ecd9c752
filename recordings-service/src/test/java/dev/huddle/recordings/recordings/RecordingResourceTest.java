package dev.huddle.recordings.recordings;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RecordingResourceTest {

    @Test
    void listsOnlyTheOrgsRecordingsNewestFirstAcrossPages() {
        UUID org = Tenants.org("Studio");
        UUID other = Tenants.org("Other");
        var member = Tenants.memberOf(org, "member");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(insertRecording(org, i).toString()); // i minutes ago: newest first
        }
        insertRecording(other, 9);

        String cursor = given().auth().oauth2(member.token())
                .queryParam("limit", 2)
                .when().get("/v1/recordings/orgs/{orgId}/recordings", org)
                .then().statusCode(200)
                .body("items.id", contains(ids.get(0), ids.get(1)))
                .extract().path("nextCursor");
        cursor = given().auth().oauth2(member.token())
                .queryParam("limit", 2).queryParam("cursor", cursor)
                .when().get("/v1/recordings/orgs/{orgId}/recordings", org)
                .then().statusCode(200)
                .body("items.id", contains(ids.get(2), ids.get(3)))
                .extract().path("nextCursor");
        given().auth().oauth2(member.token())
                .queryParam("limit", 2).queryParam("cursor", cursor)
                .when().get("/v1/recordings/orgs/{orgId}/recordings", org)
                .then().statusCode(200)
                .body("items.id", contains(ids.get(4)))
                .body("nextCursor", nullValue());
    }

    @Test
    void anOrgWithoutRecordingsListsNothing() {
        UUID org = Tenants.org("Quiet");
        given().auth().oauth2(Tenants.memberOf(org, "member").token())
                .when().get("/v1/recordings/orgs/{orgId}/recordings", org)
                .then().statusCode(200).body("items", empty()).body("nextCursor", nullValue());
    }

    @Test
    void badLimitAndCursorAre400() {
        UUID org = Tenants.org("Strict");
        String token = Tenants.memberOf(org, "member").token();
        given().auth().oauth2(token).queryParam("limit", 0)
                .when().get("/v1/recordings/orgs/{orgId}/recordings", org)
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(token).queryParam("limit", 101)
                .when().get("/v1/recordings/orgs/{orgId}/recordings", org)
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(token).queryParam("limit", "ten")
                .when().get("/v1/recordings/orgs/{orgId}/recordings", org)
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(token).queryParam("cursor", "garbage!")
                .when().get("/v1/recordings/orgs/{orgId}/recordings", org)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("cursor"));
    }

    @Test
    void anotherOrgsRecordingsAre404() {
        UUID theirs = Tenants.org("Theirs");
        insertRecording(theirs, 1);
        var me = Tenants.memberOf(Tenants.org("Mine"), "owner");
        given().auth().oauth2(me.token())
                .when().get("/v1/recordings/orgs/{orgId}/recordings", theirs)
                .then().statusCode(404).body("detail", equalTo("organization not found"));
    }

    private static UUID insertRecording(UUID org, int minutesAgo) {
        return (UUID) TestDatabase.value("""
                INSERT INTO recordings.recordings (org_id, egress_id, status, created_at)
                VALUES (?, ?, 'ready', now() - make_interval(mins => ?)) RETURNING id""",
                org, "EG_" + UUID.randomUUID(), minutesAgo);
    }
}
