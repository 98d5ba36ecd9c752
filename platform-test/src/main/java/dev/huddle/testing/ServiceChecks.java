package dev.huddle.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.restassured.RestAssured;

/**
 * What every service must do whatever its domain: health (readiness as its own database role), metrics (the meters
 * of its domain, which each subclass names), its committed OpenAPI contract, CORS (only the configured origin, never
 * {@code *}), problem+json for unknown routes. Each service's test suite has one {@code @QuarkusTest} subclass.
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

    /**
     * The meters of the service's own domain that Prometheus must find from start-up (its workers' depths, lags,
     * dead letters...), by their Micrometer names ({@code billing.inbox.depth}).
     */
    protected abstract Set<String> domainMeters();

    /**
     * The readiness check's query ({@code SELECT 1} on the application's pool) is seen by the server as run by the
     * service's own login ({@code quarkus.datasource.username}, an {@code _app} role and not a superuser), never
     * as the admin that migrated the database.
     */
    @Test
    void readinessChecksTheDatabaseAsTheServicesOwnRole() {
        String role = ConfigProvider.getConfig().getValue("quarkus.datasource.username", String.class);
        assertTrue(role.endsWith("_app"), "the service logs in as " + role + ", not as its _app role");
        assertEquals(false, TestDatabase.value("SELECT rolsuper FROM pg_roles WHERE rolname = ?", role),
                role + " must not be a superuser");
        Awaitility.await("the readiness query, seen by the server").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            given().when().get("/q/health/ready").then().statusCode(200)
                    .body("status", equalTo("UP"))
                    .body("checks.name", hasItem(containsString("PostgreSQL")));
            // the pool's connection keeps its last query: the readiness one, unless a worker took it since
            List<Map<String, Object>> ran = TestDatabase.sql("""
                    SELECT usename FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid() AND query = 'SELECT 1'""");
            assertFalse(ran.isEmpty(), "no session of this database has the readiness query as its last one");
            assertEquals(List.of(role), ran.stream().map(r -> r.get("usename")).distinct().toList(),
                    "the readiness query runs as");
        });
    }

    @Test
    void metricsAreExposedForPrometheus() {
        String metrics = given().accept("text/plain").when().get("/q/metrics").then().statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("jvm_memory_used_bytes"))
                .extract().asString();
        assertFalse(domainMeters().isEmpty(), "a service names the meters of its domain");
        for (String meter : domainMeters()) {
            // Prometheus's name: dots become underscores, and a unit or _total may follow
            Pattern exposed = Pattern.compile("^" + Pattern.quote(meter.replace('.', '_')) + "(_[a-z]+)*[{ ]",
                    Pattern.MULTILINE);
            assertTrue(exposed.matcher(metrics).find(), meter + " is not exposed in /q/metrics");
        }
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

    /** Neither a preflight nor a request from another origin is allowed, by name or by the wildcard. */
    @Test
    void corsRefusesAnyOtherOrigin() {
        String preflight = given().header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET")
                .when().options("/v1/anything")
                .then().extract().header("Access-Control-Allow-Origin");
        String request = given().header("Origin", "https://evil.example")
                .when().get("/q/health/live")
                .then().extract().header("Access-Control-Allow-Origin");
        for (String allowed : Arrays.asList(preflight, request)) {
            assertTrue(allowed == null || allowed.equals("http://localhost:3000"),
                    "another origin is answered Access-Control-Allow-Origin: " + allowed);
        }
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
