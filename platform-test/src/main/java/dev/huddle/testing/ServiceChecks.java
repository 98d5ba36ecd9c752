package dev.huddle.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.restassured.RestAssured;

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
    void everyOperationOfTheContractSaysHowItSucceeds() throws IOException {
        JsonNode contract = new ObjectMapper().readTree(given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().asString());
        contract.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            List<String> codes = new ArrayList<>();
            op.getValue().path("responses").fieldNames().forEachRemaining(codes::add);
            if (Set.of("get", "post", "put", "patch", "delete").contains(op.getKey())) {
                assertTrue(codes.stream().anyMatch(code -> code.startsWith("2") || code.startsWith("3")),
                        op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey() + " lists no success, only " + codes
                                + ": an @APIResponse of an error hides the generated one, so declare the success too");
            }
        }));
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
    void aBodyOverTheLimitIsA413ProblemOnEveryRoute() {
        for (String[] route : routes()) {
            given().contentType("application/json").body(twoMegabytes())
                    .when().request(route[0], route[1])
                    .then().statusCode(413)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:huddle:problem:payload-too-large"));
        }
    }

    @Test
    void aChunkedBodyOverTheLimitIsA413ProblemOnEveryRoute() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (String[] route : routes()) {
            // a stream of unknown length goes out chunked, without a Content-Length to refuse it by
            HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + route[1]))
                    .header("Content-Type", "application/json")
                    .method(route[0], HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(twoMegabytes())))
                    .build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(413, response.statusCode(), route[0] + " " + route[1] + ": " + response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                    route[0] + " " + route[1] + ": " + response.headers().firstValue("Content-Type"));
            assertTrue(response.body().contains("urn:huddle:problem:payload-too-large"), response.body());
        }
    }

    private static byte[] twoMegabytes() {
        byte[] body = new byte[2 * 1024 * 1024];
        Arrays.fill(body, (byte) 'x');
        return body;
    }

    @Test
    void anOverLongRequestLineIsA414ProblemOnEveryRoute() {
        String cursor = "c".repeat(10_000);
        for (String[] route : routes()) {
            given().auth().oauth2(TestTokens.forUser("user_01ANYONE")).queryParam("cursor", cursor)
                    .when().request(route[0], route[1])
                    .then().statusCode(414)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:huddle:problem:uri-too-long"));
        }
    }

    /** Each operation of the served contract, as method and a path with made-up ids, and a route that does not exist. */
    private static List<String[]> routes() {
        JsonNode contract;
        try {
            contract = new ObjectMapper().readTree(given().queryParam("format", "json").get("/q/openapi").then()
                    .statusCode(200).extract().asString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String[]> routes = new ArrayList<>();
        contract.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (Set.of("get", "post", "put", "patch", "delete").contains(method)) {
                routes.add(new String[] { method.toUpperCase(Locale.ROOT),
                        path.getKey().replaceAll("\\{[^}]+}", UUID.randomUUID().toString()) });
            }
        }));
        routes.add(new String[] { "POST", "/v1/no-such-route" });
        return routes;
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
