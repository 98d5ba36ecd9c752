package dev.huddle.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * What every service must do whatever its domain: health, metrics, its committed OpenAPI contract, CORS,
 * problem+json for unknown routes. Each service's test suite has one {@code @QuarkusTest} subclass.
 * <p>
 * The contract is {@code openapi.yaml} in the module's folder. After an intended API change, regenerate it with
 * {@code UPDATE_CONTRACTS=true ./mvnw test -pl <module> -Dtest=<that subclass>} and review the diff.
 */
public abstract class ServiceChecks {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void livenessIsUp() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void readinessChecksTheDatabaseAsTheServicesOwnRole() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("PostgreSQL")));
    }

    @Test
    void metricsAreExposedForPrometheus() {
        given().accept("text/plain").when().get("/q/metrics").then().statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void servedOpenApiEqualsTheCommittedContract() throws IOException {
        String served = given().accept("application/yaml").queryParam("format", "yaml")
                .when().get("/q/openapi").then().statusCode(200).extract().asString();
        Path committed = Path.of("openapi.yaml");
        if (Boolean.parseBoolean(System.getenv("UPDATE_CONTRACTS"))) {
            Files.writeString(committed, served);
        }
        if (!Files.exists(committed)) {
            throw new AssertionError("no committed contract at " + committed.toAbsolutePath()
                    + "; generate it with UPDATE_CONTRACTS=true and commit it");
        }
        JsonNode expected = YAML.readTree(Files.readString(committed));
        JsonNode actual = YAML.readTree(served);
        assertEquals(expected, actual, "the served OpenAPI differs from " + committed.toAbsolutePath()
                + ": regenerate it with UPDATE_CONTRACTS=true if the change is intended");
    }

    @Test
    void corsAllowsTheConfiguredOrigin() {
        given().header("Origin", "http://localhost:3000")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .when().options("/v1/anything")
                .then().header("Access-Control-Allow-Origin", equalTo("http://localhost:3000"));
    }

    @Test
    void corsRefusesAnyOtherOrigin() {
        given().header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET")
                .when().options("/v1/anything")
                .then().header("Access-Control-Allow-Origin", not(equalTo("https://evil.example")));
    }

    @Test
    void anUnknownRouteIsAProblem() {
        given().auth().oauth2(TestTokens.forUser("user_01ANYONE"))
                .when().get("/v1/no-such-route")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
    }
}
