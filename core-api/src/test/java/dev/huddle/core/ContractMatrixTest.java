package dev.huddle.core;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.huddle.testing.Tenants;
import dev.huddle.testing.Tenants.TestUser;
import dev.huddle.testing.TestDatabase;
import dev.huddle.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Generated from the served OpenAPI contract, not hand-listed: every org-scoped operation is called by a caller
 * from another org, a deactivated member, no token, an expired token, and (where the contract documents 403) a
 * plain member acting on others' things; every operation with a body or parameters gets malformed and invalid
 * input. A new endpoint is covered without editing this test. The only operations without a bearer token are those
 * the contract declares public ({@code security: []}), and those are the sign-in routes under {@code /v1/auth/}.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContractMatrixTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Tables whose row counts must not move when a request is refused. */
    private static final List<String> WATCHED = List.of("core.organizations", "core.users", "core.memberships",
            "core.membership_history", "core.rooms", "realtime.outbox", "billing.seat_changes");

    record Operation(String method, String path, JsonNode spec) {
        @Override
        public String toString() {
            return method.toUpperCase() + " " + path;
        }
    }

    private JsonNode contract;
    private final List<Operation> operations = new ArrayList<>();

    /** Org A: the caller's. Org B: someone else's, with one of everything. */
    private UUID orgA;
    private UUID orgB;
    private TestUser ownerA;
    private TestUser memberA;
    private TestUser deactivatedB;
    private final Map<String, String> idsA = new LinkedHashMap<>();
    private final Map<String, String> idsB = new LinkedHashMap<>();

    /** Runs once, from the first test factory (the app is up by then; it is not in a @BeforeAll). */
    private synchronized void loadContractAndTenants() throws Exception {
        if (contract != null) {
            return;
        }
        contract = JSON.readTree(given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().asString());
        contract.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (List.of("get", "post", "put", "patch", "delete").contains(op.getKey()) && path.getKey().startsWith("/v1/")) {
                operations.add(new Operation(op.getKey(), path.getKey(), op.getValue()));
            }
        }));
        assertTrue(operations.size() >= 10, "the contract lists the API: " + operations);

        orgA = Tenants.org("Org A");
        ownerA = Tenants.memberOf(orgA, "owner");
        memberA = Tenants.memberOf(orgA, "member");
        fillIds(orgA, ownerA, idsA);

        orgB = Tenants.org("Org B " + UUID.randomUUID());
        TestUser ownerB = Tenants.memberOf(orgB, "owner");
        deactivatedB = Tenants.user();
        Tenants.member(orgB, deactivatedB, "owner", "inactive");
        fillIds(orgB, ownerB, idsB);
    }

    /** One real thing of each kind in the org, owned by {@code owner}, by path parameter name. */
    private static void fillIds(UUID org, TestUser owner, Map<String, String> ids) {
        ids.put("orgId", org.toString());
        ids.put("userId", owner.id().toString());
        UUID room = Tenants.room(org, "Room");
        ids.put("roomId", room.toString());
        if (TestDatabase.value("SELECT to_regclass('core.messages') IS NOT NULL").equals(Boolean.TRUE)) {
            ids.put("messageId", TestDatabase.value("""
                    INSERT INTO core.messages (org_id, room_id, author_id, body) VALUES (?, ?, ?, 'hello') RETURNING id""",
                    org, room, owner.id()).toString());
        }
    }

    @TestFactory
    Stream<DynamicTest> aCallerFromAnotherOrgGets404AndNothingOfIt() throws Exception {
        loadContractAndTenants();
        return orgScoped().map(op -> DynamicTest.dynamicTest(op.toString(), () -> {
            Map<String, Long> before = counts();
            Response response = call(op, given().auth().oauth2(ownerA.token()), idsB);
            assertEquals(404, response.statusCode(), op + ": " + response.asString());
            assertProblem(response);
            assertFalse(response.asString().contains("Org B"), op + " leaked org B's data");
            assertEquals(before, counts(), op + " wrote something");
        }));
    }

    @TestFactory
    Stream<DynamicTest> aDeactivatedMemberGets404() throws Exception {
        loadContractAndTenants();
        return orgScoped().map(op -> DynamicTest.dynamicTest(op.toString(), () -> {
            Response response = call(op, given().auth().oauth2(deactivatedB.token()), idsB);
            assertEquals(404, response.statusCode(), op + ": " + response.asString());
            assertProblem(response);
        }));
    }

    @TestFactory
    Stream<DynamicTest> onlyTheSignInRoutesArePublic() throws Exception {
        loadContractAndTenants();
        assertFalse(operations.stream().noneMatch(ContractMatrixTest::isPublic), "the sign-in routes are in the contract");
        return operations.stream().map(op -> DynamicTest.dynamicTest(op.toString(), () -> assertEquals(
                op.path().startsWith("/v1/auth/"), isPublic(op), op + ": public exactly when it is a sign-in route")));
    }

    @TestFactory
    Stream<DynamicTest> noTokenAndAnExpiredTokenGet401() throws Exception {
        loadContractAndTenants();
        return operations.stream().filter(op -> !isPublic(op)).map(op -> DynamicTest.dynamicTest(op.toString(), () -> {
            Response none = call(op, given(), idsA);
            assertEquals(401, none.statusCode(), op + ": " + none.asString());
            assertProblem(none);
            Response expired = call(op, given().auth().oauth2(TestTokens.expired(ownerA.workosUserId())), idsA);
            assertEquals(401, expired.statusCode(), op + ": " + expired.asString());
        }));
    }

    @TestFactory
    Stream<DynamicTest> aTooLowRoleGets403WhereTheContractSaysSo() throws Exception {
        loadContractAndTenants();
        return orgScoped().filter(op -> op.spec().path("responses").has("403"))
                .map(op -> DynamicTest.dynamicTest(op.toString(), () -> {
                    Map<String, Long> before = counts();
                    Response response = call(op, given().auth().oauth2(memberA.token()), idsA);
                    assertEquals(403, response.statusCode(), op + ": " + response.asString());
                    assertProblem(response);
                    assertEquals(before, counts(), op + " wrote something");
                }));
    }

    @TestFactory
    Stream<DynamicTest> badInputIs400AndWritesNothing() throws Exception {
        loadContractAndTenants();
        List<DynamicTest> tests = new ArrayList<>();
        for (Operation op : operations) {
            for (String param : pathParams(op.path())) {
                tests.add(DynamicTest.dynamicTest(op + " with " + param + "=not-a-uuid", () -> {
                    Map<String, String> ids = new LinkedHashMap<>(idsA);
                    ids.put(param, "not-a-uuid");
                    expect400(op, call(op, given().auth().oauth2(ownerA.token()), ids));
                }));
            }
            for (JsonNode param : op.spec().path("parameters")) {
                if (param.path("in").asText().equals("query") && isNumeric(resolve(param.path("schema")))) {
                    tests.add(DynamicTest.dynamicTest(op + " with " + param.path("name").asText() + "=ten", () -> expect400(op,
                            call(op, given().auth().oauth2(ownerA.token()).queryParam(param.path("name").asText(), "ten"),
                                    idsA))));
                }
            }
            JsonNode schema = requestSchema(op);
            if (schema == null) {
                continue;
            }
            Map<String, String> bodies = new LinkedHashMap<>();
            bodies.put("malformed JSON", "{\"oops\": ");
            bodies.put("an array", "[]");
            bodies.put("an unknown field", withField(example(schema), "unexpected", JSON.getNodeFactory().textNode("x")));
            Iterator<Map.Entry<String, JsonNode>> props = schema.path("properties").fields();
            while (props.hasNext()) {
                Map.Entry<String, JsonNode> prop = props.next();
                JsonNode propSchema = resolve(prop.getValue());
                if (isString(propSchema)) {
                    bodies.put(prop.getKey() + " of the wrong type", withField(example(schema), prop.getKey(),
                            JSON.getNodeFactory().objectNode().put("nested", true)));
                    bodies.put(prop.getKey() + " with a NUL", withField(example(schema), prop.getKey(),
                            JSON.getNodeFactory().textNode("a\u0000b")));
                    // as the JSON escape: a raw lone surrogate would not survive the client's UTF-8 encoding
                    bodies.put(prop.getKey() + " with a lone surrogate", withField(example(schema), prop.getKey(),
                            JSON.getNodeFactory().textNode("a_LONE_SURROGATE_b")).replace("_LONE_SURROGATE_", "\\ud800"));
                    if (propSchema.has("maxLength")) {
                        bodies.put(prop.getKey() + " oversize", withField(example(schema), prop.getKey(),
                                JSON.getNodeFactory().textNode("x".repeat(propSchema.path("maxLength").asInt() + 1))));
                    }
                }
            }
            bodies.forEach((what, body) -> tests.add(DynamicTest.dynamicTest(op + " with " + what,
                    () -> expect400(op, call(op, given().auth().oauth2(ownerA.token()).contentType("application/json")
                            .body(body), idsA)))));
        }
        return tests.stream();
    }

    private void expect400(Operation op, Response response) {
        // counts are taken after: a refused request must leave them as the fixtures left them
        assertEquals(400, response.statusCode(), op + ": " + response.asString());
        assertProblem(response);
    }

    /** Declared without a token: {@code security: []}. */
    private static boolean isPublic(Operation op) {
        JsonNode security = op.spec().path("security");
        return security.isArray() && security.isEmpty();
    }

    private Stream<Operation> orgScoped() {
        return operations.stream().filter(op -> op.path().contains("{orgId}"));
    }

    /** Calls an operation with path ids from {@code ids} and, when it takes a body, its example body. */
    private Response call(Operation op, RequestSpecification request, Map<String, String> ids) {
        String path = op.path();
        for (String param : pathParams(op.path())) {
            path = path.replace("{" + param + "}", ids.getOrDefault(param, UUID.randomUUID().toString()));
        }
        JsonNode schema = requestSchema(op);
        if (schema != null && !isBodySet(request)) {
            request = request.contentType("application/json").body(example(schema));
        }
        return request.when().request(op.method().toUpperCase(), path);
    }

    private static boolean isBodySet(RequestSpecification request) {
        return ((io.restassured.specification.FilterableRequestSpecification) request).getBody() != null;
    }

    private static List<String> pathParams(String path) {
        List<String> params = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(path);
        while (m.find()) {
            params.add(m.group(1));
        }
        return params;
    }

    private JsonNode requestSchema(Operation op) {
        JsonNode schema = op.spec().path("requestBody").path("content").path("application/json").path("schema");
        return schema.isMissingNode() ? null : resolve(schema);
    }

    private JsonNode resolve(JsonNode schema) {
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().replace("#/components/schemas/", "");
            return contract.path("components").path("schemas").path(name);
        }
        return schema;
    }

    /** A body from the examples the contract gives its properties. */
    private String example(JsonNode schema) {
        ObjectNode body = JSON.createObjectNode();
        schema.path("properties").fields().forEachRemaining(prop -> {
            JsonNode examples = prop.getValue().path("examples");
            if (examples.isArray() && !examples.isEmpty()) {
                body.set(prop.getKey(), examples.get(0));
            }
        });
        return body.toString();
    }

    private static String withField(String body, String field, JsonNode value) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(body);
            node.set(field, value);
            return node.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isString(JsonNode schema) {
        JsonNode type = schema.path("type");
        return type.asText().equals("string") || (type.isArray() && type.toString().contains("\"string\""))
                || schema.has("$ref") && schema.get("$ref").asText().endsWith("/UUID");
    }

    private static boolean isNumeric(JsonNode schema) {
        String type = schema.path("type").toString();
        return type.contains("integer") || type.contains("number");
    }

    private static void assertProblem(Response response) {
        assertTrue(response.contentType().startsWith("application/problem+json"), "not a problem: " + response.contentType());
    }

    private static Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : WATCHED) {
            counts.put(table, ((Number) TestDatabase.value("SELECT count(*) FROM " + table)).longValue());
        }
        return counts;
    }
}
