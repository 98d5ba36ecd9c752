package dev.huddle.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.huddle.testing.Tenants;
import dev.huddle.testing.Tenants.TestUser;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class GuardAndProblemsTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String VALID = """
            {"name": "ok", "ref": "0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e", "count": 3, "tags": ["a"]}""";

    private UUID org;
    private TestUser owner;
    private TestUser admin;
    private TestUser member;

    @BeforeEach
    void tenants() {
        org = Tenants.org("Guarded");
        owner = Tenants.memberOf(org, "owner");
        admin = Tenants.memberOf(org, "admin");
        member = Tenants.memberOf(org, "member");
    }

    @Test
    void eachRoleReachesWhatItMayAndIsRefusedTheRestWith403() {
        given().auth().oauth2(member.token()).get("/v1/test/orgs/{orgId}", org).then().statusCode(200)
                .body("role", equalTo("member"));
        given().auth().oauth2(member.token()).contentType("application/json").body(VALID)
                .post("/v1/test/orgs/{orgId}", org).then().statusCode(403).contentType(PROBLEM)
                .body("type", equalTo("urn:huddle:problem:forbidden"));
        given().auth().oauth2(admin.token()).contentType("application/json").body(VALID)
                .post("/v1/test/orgs/{orgId}", org).then().statusCode(200).body("item.name", equalTo("ok"));
        given().auth().oauth2(admin.token()).post("/v1/test/orgs/{orgId}/owners-only", org).then().statusCode(403);
        given().auth().oauth2(owner.token()).post("/v1/test/orgs/{orgId}/owners-only", org).then().statusCode(200);
    }

    @Test
    void outsidersInactiveAndPendingMembersGet404EvenWhereTheRoleWouldBeTooLow() {
        TestUser outsider = Tenants.memberOf(Tenants.org("Elsewhere"), "owner");
        TestUser inactive = Tenants.user();
        TestUser pending = Tenants.user();
        Tenants.member(org, inactive, "owner", "inactive");
        Tenants.member(org, pending, "owner", "pending");
        for (TestUser user : new TestUser[] { outsider, inactive, pending }) {
            given().auth().oauth2(user.token()).get("/v1/test/orgs/{orgId}", org).then().statusCode(404)
                    .contentType(PROBLEM).body("detail", equalTo("organization not found"));
            given().auth().oauth2(user.token()).post("/v1/test/orgs/{orgId}/owners-only", org).then().statusCode(404);
        }
    }

    @Test
    void authComesFirstThenTheIdThenMembership() {
        given().get("/v1/test/orgs/{orgId}", "nope").then().statusCode(401).contentType(PROBLEM);
        given().auth().oauth2(member.token()).get("/v1/test/orgs/{orgId}", "nope").then().statusCode(400)
                .body("errors.field", hasItem("orgId"));
        given().auth().oauth2(member.token()).get("/v1/test/orgs/{orgId}", UUID.randomUUID()).then().statusCode(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{", // malformed
            "not json",
            "[]", // wrong shape
            "\"a string\"",
            "{\"name\": \"ok\", \"ref\": \"0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e\", \"count\": 3} trailing",
            "{\"name\": 5, \"ref\": \"0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e\", \"count\": 3}", // wrong types
            "{\"name\": \"ok\", \"ref\": \"0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e\", \"count\": \"3\"}",
            "{\"name\": \"ok\", \"ref\": \"0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e\", \"count\": 3.5}",
            "{\"name\": \"ok\", \"ref\": \"0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e\", \"count\": null}",
            "{\"name\": \"ok\", \"ref\": \"not-a-uuid\", \"count\": 3}", // invalid id
            "{\"name\": \"ok\", \"ref\": 42, \"count\": 3}",
            "{\"name\": \"ok\", \"ref\": \"\", \"count\": 3}", // an empty string is not a missing id
            "{\"name\": \"ok\", \"ref\": \"0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e\", \"count\": 3, \"admin\": true}", // unknown
            "{\"name\": \"   \", \"ref\": \"0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e\", \"count\": 3}", // constraints
            "{\"name\": \"abcdefghijklmnopqrstuvwxyz\", \"ref\": \"0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e\", \"count\": 3}",
            "{\"name\": \"ok\", \"ref\": \"0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e\", \"count\": 11}",
            "{\"name\": \"ok\", \"count\": 3}",
            "{\"name\": \"ok\", \"ref\": \"0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e\", \"count\": 3, \"tags\": [\"\"]}",
            "{\"name\": \"a\\u0000b\", \"ref\": \"0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e\", \"count\": 3}", // unicode edges
            "{\"name\": \"\\ud800\", \"ref\": \"0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e\", \"count\": 3}",
            "{\"name\": \"\\udc00x\", \"ref\": \"0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e\", \"count\": 3}",
            "{\"name\": \"a\", \"name\": \"b\", \"ref\": \"0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e\", \"count\": 3}",
            "null",
            ""
    })
    void badBodiesAre400ProblemsThatShowNothingInternal(String body) {
        given().auth().oauth2(admin.token()).contentType("application/json").body(body)
                .post("/v1/test/orgs/{orgId}", org)
                .then().statusCode(400).contentType(PROBLEM)
                .body("status", equalTo(400))
                .body(not(containsString("Exception")))
                .body(not(containsString("com.fasterxml")))
                .body(not(containsString("dev.huddle")));
    }

    @Test
    void aValidBodyWithEmojiAndAccentsIsAccepted() {
        given().auth().oauth2(admin.token()).contentType("application/json")
                .body("{\"name\": \"Zoë 🎥\", \"ref\": \"0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e\", \"count\": 1}")
                .post("/v1/test/orgs/{orgId}", org).then().statusCode(200).body("item.name", equalTo("Zoë 🎥"));
    }

    @Test
    void fieldErrorsNameTheField() {
        given().auth().oauth2(admin.token()).contentType("application/json")
                .body("{\"name\": \"ok\", \"ref\": \"0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e\", \"count\": 3, \"extra\": 1}")
                .post("/v1/test/orgs/{orgId}", org).then().statusCode(400).body("errors.field", hasItem("extra"));
        given().auth().oauth2(admin.token()).contentType("application/json")
                .body("{\"name\": \"\", \"ref\": \"0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e\", \"count\": 3}")
                .post("/v1/test/orgs/{orgId}", org).then().statusCode(400).body("errors.field", hasItem("name"));
    }

    @Test
    void malformedJsonIsAMalformedJsonProblem() {
        given().auth().oauth2(admin.token()).contentType("application/json").body("{\"name\": ")
                .post("/v1/test/orgs/{orgId}", org).then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("urn:huddle:problem:malformed-json"));
    }

    @Test
    void fieldErrorsNameTheInputAsTheClientSentIt() {
        given().auth().oauth2(admin.token()).contentType("application/json")
                .body("{\"name\": 5, \"ref\": \"0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e\", \"count\": 3}")
                .post("/v1/test/orgs/{orgId}", org).then().statusCode(400).body("errors.field", contains("name"));
        given().auth().oauth2(admin.token()).contentType("application/json")
                .body("{\"name\": \"ok\", \"ref\": \"0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e\", \"count\": 3, \"tags\": [\"a\", \"\"]}")
                .post("/v1/test/orgs/{orgId}", org).then().statusCode(400).body("errors.field", contains("tags[1]"));
        // the query parameter is "n", whatever the Java parameter is called
        given().auth().oauth2(member.token()).queryParam("n", 0).get("/v1/test/orgs/{orgId}", org).then()
                .statusCode(400).body("errors.field", contains("n"));
    }

    @Test
    void badParametersAre400NotFound() {
        given().auth().oauth2(member.token()).get("/v1/test/orgs/{orgId}/things/{thingId}", org, "42").then()
                .statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(member.token()).queryParam("n", "x").get("/v1/test/orgs/{orgId}", org).then()
                .statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(member.token()).queryParam("n", 0).get("/v1/test/orgs/{orgId}", org).then()
                .statusCode(400).contentType(PROBLEM);
    }

    @Test
    void wrongMethodAndMediaTypeAreProblemsToo() {
        given().auth().oauth2(admin.token()).contentType("text/plain").body("hi")
                .post("/v1/test/orgs/{orgId}", org).then().statusCode(415).contentType(PROBLEM);
        given().auth().oauth2(admin.token()).delete("/v1/test/orgs/{orgId}", org).then().statusCode(405)
                .contentType(PROBLEM);
    }
}
