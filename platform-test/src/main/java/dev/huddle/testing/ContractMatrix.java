package dev.huddle.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.huddle.testing.Tenants.TestUser;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.RequestSpecification;

/**
 * The cross-tenant and bad-input matrix of a service, generated from its served OpenAPI contract, not hand-listed:
 * a new endpoint is covered without editing a test. Each service's suite has one {@code @QuarkusTest} subclass that
 * says which things exist in an org ({@link #fixtures}); every operation is then called
 * <ul>
 * <li>by a caller from another org, and by a deactivated member (404, nothing of the org, nothing written);</li>
 * <li>by the caller's own org with another org's thing (room, message, parent message, recording...) in the path
 * (404), the query (404, 400, or nothing found) or the body (400 or 404; 403 for a name wider than the org, a
 * Centrifugo channel); never the other org's data, nothing written;</li>
 * <li>without a token and with an expired one (401), unless the contract declares it public ({@code security: []}),
 * which only {@link #isPublicPath} paths may be;</li>
 * <li>by a plain member where the contract says the operation needs more ({@code x-huddle-role}): 403, nothing
 * written;</li>
 * <li>with malformed and invalid input (400; {@code malformed-json} for a body that is not JSON);</li>
 * <li>by the org's owner, and by a plain member, with valid input: whatever it answers, the contract lists it;</li>
 * <li>when a subclass's test profile enforces the subscription gate, by an org that is not entitled: 402 exactly
 * where the contract lists it (the other orgs are then given an active subscription).</li>
 * </ul>
 * Every status any of these calls gets must be one the contract lists for the operation: the contract says what
 * each operation can answer.
 * <p>
 * By default the matrix calls the service of the {@code @QuarkusTest} (rest-assured's base URI) with tokens from
 * {@link TestTokens}; the system tests run it against each running service instead ({@link #request()},
 * {@link #token}, {@link #expiredToken}, {@link #gateEnforced()}, {@link #test}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ContractMatrix {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SCHEMAS = Set.of("core", "billing", "realtime", "recordings");
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

    /** One operation of the contract. */
    protected record Operation(String method, String path, JsonNode spec) {
        @Override
        public String toString() {
            return method.toUpperCase(Locale.ROOT) + " " + path;
        }
    }

    private JsonNode contract;
    private final List<Operation> operations = new ArrayList<>();
    private String snapshotQuery;
    /** The orgs whose rows the digest covers when {@link #digestsOnlyTheComparedOrgs()}; in the query as {@link #ORGS}. */
    private final Set<UUID> comparedOrgs = new CopyOnWriteArraySet<>();
    private static final String ORGS = "/*orgs*/";

    /** Org A: the caller's. Org B: someone else's, with one of everything. */
    private UUID orgA;
    private UUID orgB;
    private String orgBName;
    private TestUser ownerA;
    private TestUser memberA;
    private TestUser deactivatedB;
    private Map<String, String> idsA;
    private Map<String, String> idsB;

    /**
     * Creates one of each thing the service's operations name in the org, owned by {@code owner}, and returns their
     * ids (or values) by the name the operations use for them: a path parameter ({@code roomId}), a query parameter
     * or a body field ({@code parentId}). {@code orgId} and {@code userId} are filled in already.
     */
    protected abstract Map<String, String> fixtures(UUID org, TestUser owner);

    /** Paths whose operations are public (no token): the sign-in routes of core-api, none elsewhere. */
    protected boolean isPublicPath(String path) {
        return false;
    }

    /**
     * Tables that change without a write being accepted, so not compared: background work's own (heartbeats, poll
     * cursors), and the rate limiter's buckets, which every write request spends from, refused or not.
     */
    protected Set<String> busyTables() {
        return Set.of("realtime.relay_replicas", "core.workos_sync_cursor", "core.rate_limits");
    }

    /** A request to the service under test; rest-assured's base URI, which {@code @QuarkusTest} points at the app. */
    protected RequestSpecification request() {
        return given();
    }

    /** A valid access token of {@code user}. */
    protected String token(TestUser user) {
        return user.token();
    }

    /** An access token of {@code user} that has expired. */
    protected String expiredToken(TestUser user) {
        return TestTokens.expired(user.workosUserId());
    }

    /** Whether this run enforces the subscription gate (by default: a test profile of the subclass says so). */
    protected boolean gateEnforced() {
        return ConfigProvider.getConfig().getOptionalValue("huddle.subscription-gate.mode", String.class)
                .map("enforce"::equalsIgnoreCase).orElse(false);
    }

    /**
     * Whether the digest of a table with an {@code org_id} (and of the organizations) covers only the rows of the orgs
     * whose requests are compared, rather than every row: on a running system, background work moves other orgs' rows
     * (an outbox relayed, a seat change synced) while the matrix runs. False by default: the whole table.
     */
    protected boolean digestsOnlyTheComparedOrgs() {
        return false;
    }

    /**
     * One generated test: {@code name} calls the operation as {@code caller} ("another org's owner", "no token"...).
     * A subclass may say more when it fails (the running service's log), or leave it out of a quick run.
     */
    protected DynamicTest test(String caller, Operation op, String name, Executable body) {
        return DynamicTest.dynamicTest(name, body);
    }

    /** Runs once, from the first test factory (the app is up by then; it is not in a @BeforeAll). */
    private synchronized void load() {
        if (contract != null) {
            return;
        }
        try {
            contract = JSON.readTree(request().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                    .extract().asString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        contract.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (Set.of("get", "post", "put", "patch", "delete").contains(op.getKey()) && path.getKey().startsWith("/v1/")) {
                operations.add(new Operation(op.getKey(), path.getKey(), op.getValue()));
            }
        }));
        assertFalse(operations.isEmpty(), "the contract lists the API");

        orgA = org("Org A");
        ownerA = Tenants.memberOf(orgA, "owner");
        memberA = Tenants.memberOf(orgA, "member");
        idsA = ids(orgA, ownerA);

        orgBName = "Org B " + UUID.randomUUID();
        orgB = org(orgBName);
        TestUser ownerB = Tenants.memberOf(orgB, "owner");
        deactivatedB = Tenants.user();
        Tenants.member(orgB, deactivatedB, "owner", "inactive");
        idsB = ids(orgB, ownerB);

        snapshotQuery = TestDatabase.sql("""
                SELECT t.table_schema || '.' || t.table_name AS name,
                       EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = t.table_schema
                               AND c.table_name = t.table_name AND c.column_name = 'org_id') AS has_org
                FROM information_schema.tables t
                WHERE t.table_type = 'BASE TABLE' AND t.table_name <> 'flyway_schema_history'
                ORDER BY 1""").stream()
                .filter(row -> {
                    String name = (String) row.get("name");
                    return SCHEMAS.contains(name.substring(0, name.indexOf('.'))) && !busyTables().contains(name);
                })
                .map(row -> {
                    String name = (String) row.get("name");
                    String scope = !digestsOnlyTheComparedOrgs() ? ""
                            : Boolean.TRUE.equals(row.get("has_org")) ? " WHERE x.org_id IN (" + ORGS + ")"
                                    : name.equals("core.organizations") ? " WHERE x.id IN (" + ORGS + ")" : "";
                    return "SELECT '" + name + "' AS t, (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), ''))"
                            + " FROM " + name + " x" + scope + ") AS h";
                })
                .collect(Collectors.joining(" UNION ALL "));
        comparedOrgs.add(orgA);
        comparedOrgs.add(orgB);
    }

    /** An org, with an active subscription when the gate is enforced so that only the 402 test meets the gate. */
    private UUID org(String name) {
        UUID org = Tenants.org(name);
        if (gateEnforced()) {
            TestDatabase.sql("""
                    INSERT INTO billing.org_subscriptions (org_id, stripe_subscription_id, status, current_period_end)
                    VALUES (?, ?, 'active', now() + interval '30 days')""", org, "sub_" + UUID.randomUUID());
        }
        return org;
    }

    private Map<String, String> ids(UUID org, TestUser owner) {
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("orgId", org.toString());
        ids.put("userId", owner.id().toString());
        ids.putAll(fixtures(org, owner));
        return ids;
    }

    @TestFactory
    Stream<DynamicTest> aCallerFromAnotherOrgGets404AndNothingOfIt() {
        load();
        return orgScoped().map(op -> test("another org's owner", op, op.toString(), () -> {
            Map<String, String> before = snapshot();
            Response response = call(op, request().auth().oauth2(token(ownerA)), idsB);
            expect(op, response, 404);
            assertNothingOfB(op, response, Set.of());
            assertEquals(before, snapshot(), op + " wrote something");
        }));
    }

    /**
     * With the gate enforced (a subclass's test profile): an org its subscription does not entitle gets 402 exactly
     * where the contract lists it, and what it gets elsewhere is listed too. Skipped when the gate is off.
     */
    @TestFactory
    Stream<DynamicTest> anOrgNotEntitledGets402ExactlyWhereTheContractSaysSo() {
        Assumptions.assumeTrue(gateEnforced(), "the subscription gate is off in this run");
        load();
        return orgScoped().map(op -> test("the owner of an org not entitled", op, op.toString(), () -> {
            UUID lapsed = Tenants.org("Never paid");
            TestUser owner = Tenants.memberOf(lapsed, "owner");
            Map<String, String> ids = ids(lapsed, owner);
            comparedOrgs.add(lapsed);
            try {
                Map<String, String> before = snapshot();
                Response response = call(op, request().auth().oauth2(token(owner)), ids);
                if (op.spec().path("responses").has("402")) {
                    expect(op, response, 402);
                    assertEquals("urn:huddle:problem:subscription-required", response.jsonPath().getString("type"),
                            op.toString());
                    assertEquals(before, snapshot(), op + " wrote something");
                } else {
                    assertTrue(response.statusCode() != 402, op + " answered 402, which its contract does not list");
                    assertDocumented(op, response);
                }
            } finally {
                comparedOrgs.remove(lapsed);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> aDeactivatedMemberGets404() {
        load();
        return orgScoped().map(op -> test("a deactivated member", op, op.toString(),
                () -> expect(op, call(op, request().auth().oauth2(token(deactivatedB)), idsB), 404)));
    }

    /**
     * The caller's own org in the path, another org's thing in one input: path ({@code /rooms/{roomId}}), query
     * ({@code ?roomId=}) or body ({@code parentId}, {@code channel}). A path that names it is refused with 404, a body
     * with 400 or 404 (or 403 for a channel, whose names span orgs); a query filter may also answer with nothing.
     * Never the other org's data, never a write.
     */
    @TestFactory
    Stream<DynamicTest> anotherOrgsThingInMyOrgsRequestIsNotFoundAndShowsNothing() {
        load();
        List<DynamicTest> tests = new ArrayList<>();
        orgScoped().forEach(op -> {
            for (String param : pathParams(op.path())) {
                if (!param.equals("orgId") && idsB.containsKey(param)) {
                    tests.add(test("the owner with another org's thing", op, op + " with org B's " + param + " in the path",
                            () -> {
                                Map<String, String> ids = new LinkedHashMap<>(idsA);
                                ids.put(param, idsB.get(param));
                                Map<String, String> before = snapshot();
                                Response response = call(op, request().auth().oauth2(token(ownerA)), ids);
                                expect(op, response, 404);
                                assertNothingOfB(op, response, Set.of(idsB.get(param)));
                                assertEquals(before, snapshot(), op + " wrote something");
                            }));
                }
            }
            for (JsonNode param : op.spec().path("parameters")) {
                String name = param.path("name").asText();
                if (param.path("in").asText().equals("query") && idsB.containsKey(name)) {
                    tests.add(test("the owner with another org's thing", op, op + " with org B's " + name + " in the query",
                            () -> {
                                Map<String, String> before = snapshot();
                                Response response = call(op,
                                        request().auth().oauth2(token(ownerA)).queryParam(name, idsB.get(name)),
                                        idsA);
                                int status = response.statusCode();
                                assertTrue(status == 200 || status == 400 || status == 404,
                                        op + ": " + status + " " + response.asString());
                                assertDocumented(op, response);
                                assertNothingOfB(op, response, Set.of(idsB.get(name)));
                                if (status == 200) {
                                    assertFalse(response.asString().contains(idsB.get(name)), op + " showed org B's " + name);
                                }
                                assertEquals(before, snapshot(), op + " wrote something");
                            }));
                }
            }
            JsonNode schema = requestSchema(op);
            if (schema != null) {
                schema.path("properties").fieldNames().forEachRemaining(field -> {
                    if (idsB.containsKey(field) && !field.equals("orgId")) {
                        tests.add(test("the owner with another org's thing", op, op + " with org B's " + field + " in the body",
                                () -> {
                                    String body = withField(example(schema, idsA), field,
                                            JSON.getNodeFactory().textNode(idsB.get(field)));
                                    Map<String, String> before = snapshot();
                                    Response response = call(op, request().auth().oauth2(token(ownerA))
                                            .contentType("application/json").body(body), idsA);
                                    // a body field that names a channel or a parent is refused as invalid or as not found;
                                    // a name in a namespace wider than the org (a Centrifugo channel) may be refused as not
                                    // allowed, as it is for anything the caller may not see
                                    int status = response.statusCode();
                                    assertTrue(status == 400 || status == 403 || status == 404,
                                            op + ": " + status + " " + response.asString());
                                    assertProblem(op, response);
                                    assertDocumented(op, response);
                                    assertNothingOfB(op, response, Set.of(idsB.get(field)));
                                    assertEquals(before, snapshot(), op + " wrote something");
                                }));
                    }
                });
            }
        });
        assertFalse(tests.isEmpty() && idsA.size() > 2, "no operation names any of " + idsA.keySet());
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> onlyThePublicPathsArePublic() {
        load();
        return operations.stream().map(op -> test("nobody (the contract)", op, op.toString(), () -> assertEquals(
                isPublicPath(op.path()), isPublic(op), op + ": public exactly when its path is a public one")));
    }

    @TestFactory
    Stream<DynamicTest> noTokenAndAnExpiredTokenGet401() {
        load();
        return operations.stream().filter(op -> !isPublic(op)).flatMap(op -> Stream.of(
                test("no token", op, op + " without a token", () -> expect(op, call(op, request(), idsA), 401)),
                test("an expired token", op, op + " with an expired token",
                        () -> expect(op, call(op, request().auth().oauth2(expiredToken(ownerA)), idsA), 401))));
    }

    /** A plain member, where the contract says the operation needs more ({@code x-huddle-role}), gets 403. */
    @TestFactory
    Stream<DynamicTest> aTooLowRoleGets403WhereTheContractSaysSo() {
        load();
        assertTrue(orgScoped().allMatch(op -> op.spec().has("x-huddle-role")), "every org-scoped operation names its role");
        return orgScoped().filter(op -> !op.spec().path("x-huddle-role").asText().equals("member"))
                .map(op -> test("a plain member", op, op.toString(), () -> {
                    Map<String, String> before = snapshot();
                    expect(op, call(op, request().auth().oauth2(token(memberA)), idsA), 403);
                    assertEquals(before, snapshot(), op + " wrote something");
                }));
    }

    /**
     * Whatever a member's valid request gets (a success, a conflict, an outside service missing, a 403 for a role too
     * low), as owner and as plain member of the org, the contract lists it.
     */
    @TestFactory
    Stream<DynamicTest> aValidRequestGetsWhatTheContractLists() {
        load();
        return operations.stream().flatMap(op -> Stream.of("owner", "member").map(role -> test("the " + role, op,
                op + " as " + role, () -> {
                    // an org of its own: the request may change it (rename, delete, change a role)
                    UUID org = org("Org C");
                    TestUser owner = Tenants.memberOf(org, "owner");
                    TestUser caller = role.equals("owner") ? owner : Tenants.memberOf(org, role);
                    RequestSpecification request = isPublic(op) ? request() : request().auth().oauth2(token(caller));
                    Response response = call(op, request, ids(org, owner));
                    int status = response.statusCode();
                    assertTrue(status < 500 || status == 502 || status == 503, op + ": " + status + " " + response.asString());
                    assertDocumented(op, response);
                })));
    }

    @TestFactory
    Stream<DynamicTest> badInputIs400AndWritesNothing() {
        load();
        List<DynamicTest> tests = new ArrayList<>();
        for (Operation op : operations) {
            for (String param : uuidPathParams(op)) {
                tests.add(test("the owner with bad input", op, op + " with " + param + "=not-a-uuid", () -> {
                    Map<String, String> ids = new LinkedHashMap<>(idsA);
                    ids.put(param, "not-a-uuid");
                    expectUnchanged400(op, request().auth().oauth2(token(ownerA)), ids);
                }));
            }
            for (JsonNode param : op.spec().path("parameters")) {
                if (param.path("in").asText().equals("query")) {
                    String name = param.path("name").asText();
                    for (String value : refusedQueryValues(name, resolve(param.path("schema")))) {
                        tests.add(test("the owner with bad input", op, op + " with " + name + "=" + value,
                                () -> expectUnchanged400(op, request().auth().oauth2(token(ownerA)).queryParam(name, value),
                                        idsA)));
                    }
                }
            }
            JsonNode schema = requestSchema(op);
            if (schema == null) {
                continue;
            }
            tests.add(test("the owner with bad input", op, op + " with malformed JSON", () -> {
                Response response = call(op, request().auth().oauth2(token(ownerA)).contentType("application/json")
                        .body("{\"oops\": "), idsA);
                expect(op, response, 400);
                assertEquals("urn:huddle:problem:malformed-json", response.jsonPath().getString("type"), op.toString());
            }));
            Map<String, String> bodies = new LinkedHashMap<>();
            bodies.put("an array", "[]");
            bodies.put("an unknown field", withField(example(schema, idsA), "unexpected", JSON.getNodeFactory().textNode("x")));
            Iterator<Map.Entry<String, JsonNode>> props = schema.path("properties").fields();
            while (props.hasNext()) {
                Map.Entry<String, JsonNode> prop = props.next();
                JsonNode propSchema = resolve(prop.getValue());
                if (isString(propSchema)) {
                    bodies.put(prop.getKey() + " of the wrong type", withField(example(schema, idsA), prop.getKey(),
                            JSON.getNodeFactory().objectNode().put("nested", true)));
                    bodies.put(prop.getKey() + " with a NUL", withField(example(schema, idsA), prop.getKey(),
                            JSON.getNodeFactory().textNode("a\u0000b")));
                    // as the JSON escape: a raw lone surrogate would not survive the client's UTF-8 encoding
                    bodies.put(prop.getKey() + " with a lone surrogate", withField(example(schema, idsA), prop.getKey(),
                            JSON.getNodeFactory().textNode("a_LONE_SURROGATE_b")).replace("_LONE_SURROGATE_", "\\ud800"));
                    if (propSchema.has("maxLength")) {
                        bodies.put(prop.getKey() + " oversize", withField(example(schema, idsA), prop.getKey(),
                                JSON.getNodeFactory().textNode("x".repeat(propSchema.path("maxLength").asInt() + 1))));
                    }
                }
            }
            bodies.forEach((what, body) -> tests
                    .add(test("the owner with bad input", op, op + " with " + what, () -> expectUnchanged400(op,
                            request().auth().oauth2(token(ownerA)).contentType("application/json").body(body), idsA))));
        }
        return tests.stream();
    }

    private void expectUnchanged400(Operation op, RequestSpecification request, Map<String, String> ids) {
        Map<String, String> before = snapshot();
        expect(op, call(op, request, ids), 400);
        assertEquals(before, snapshot(), op + " wrote something");
    }

    /** The status, as a problem, and one the contract lists for the operation. */
    private static void expect(Operation op, Response response, int status) {
        assertEquals(status, response.statusCode(), op + ": " + response.asString());
        assertProblem(op, response);
        assertDocumented(op, response);
    }

    private static void assertDocumented(Operation op, Response response) {
        assertTrue(op.spec().path("responses").has(String.valueOf(response.statusCode())),
                op + " answered " + response.statusCode() + ", which its contract does not list: "
                        + op.spec().path("responses").fieldNames().next() + "...");
    }

    private static void assertProblem(Operation op, Response response) {
        String type = response.contentType();
        assertTrue(type != null && type.startsWith("application/problem+json"), op + ": not a problem: " + type);
    }

    /** Nothing of org B in the answer: not its name, not the id of any of its things but {@code sent}. */
    private void assertNothingOfB(Operation op, Response response, Set<String> sent) {
        String body = response.asString();
        assertFalse(body.contains(orgBName), op + " showed org B's name");
        idsB.forEach((name, value) -> {
            if (!sent.contains(value) && !value.equals(orgB.toString())) {
                assertFalse(body.contains(value), op + " showed org B's " + name);
            }
        });
    }

    /** Declared without a token: {@code security: []}. */
    private static boolean isPublic(Operation op) {
        JsonNode security = op.spec().path("security");
        return security.isArray() && security.isEmpty();
    }

    private Stream<Operation> orgScoped() {
        return operations.stream().filter(op -> op.path().contains("{orgId}"));
    }

    /** Calls an operation with path ids from {@code ids} and, when it takes a body and none is set, its example. */
    private Response call(Operation op, RequestSpecification request, Map<String, String> ids) {
        String path = op.path();
        for (String param : pathParams(op.path())) {
            path = path.replace("{" + param + "}", ids.getOrDefault(param, UUID.randomUUID().toString()));
        }
        JsonNode schema = requestSchema(op);
        if (schema != null && ((FilterableRequestSpecification) request).getBody() == null) {
            request = request.contentType("application/json").body(example(schema, ids));
        }
        // a redirect (the sign-in's 302 to AuthKit) is the answer, not a link to follow
        return request.redirects().follow(false).when().request(op.method().toUpperCase(Locale.ROOT), path);
    }

    private static List<String> pathParams(String path) {
        List<String> params = new ArrayList<>();
        Matcher m = PATH_PARAM.matcher(path);
        while (m.find()) {
            params.add(m.group(1));
        }
        return params;
    }

    /** The path parameters the contract says are UUIDs. */
    private List<String> uuidPathParams(Operation op) {
        List<String> params = new ArrayList<>();
        for (JsonNode param : op.spec().path("parameters")) {
            JsonNode schema = param.path("schema");
            if (param.path("in").asText().equals("path") && (resolve(schema).path("format").asText().equals("uuid"))) {
                params.add(param.path("name").asText());
            }
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

    /** A body from the org's things where a field names one, else from the examples the contract gives. */
    private static String example(JsonNode schema, Map<String, String> ids) {
        ObjectNode body = JSON.createObjectNode();
        schema.path("properties").fields().forEachRemaining(prop -> {
            JsonNode examples = prop.getValue().path("examples");
            if (ids.containsKey(prop.getKey()) && !prop.getKey().equals("orgId") && !prop.getKey().equals("userId")) {
                body.put(prop.getKey(), ids.get(prop.getKey()));
            } else if (examples.isArray() && !examples.isEmpty()) {
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isString(JsonNode schema) {
        JsonNode type = schema.path("type");
        return type.asText().equals("string") || (type.isArray() && type.toString().contains("\"string\""))
                || schema.has("$ref") && schema.get("$ref").asText().endsWith("/UUID");
    }

    /**
     * Values a query parameter's schema refuses: a word for a number, one past its minimum and maximum (a page size of
     * 0 or 101), not a UUID for a UUID, a value its pattern does not match; and for a paging cursor, one this API never
     * gave out.
     */
    private static List<String> refusedQueryValues(String name, JsonNode schema) {
        List<String> values = new ArrayList<>();
        if (isNumeric(schema)) {
            values.add("ten");
            if (schema.has("minimum")) {
                values.add(String.valueOf(schema.get("minimum").asLong() - 1));
            }
            if (schema.has("maximum")) {
                values.add(String.valueOf(schema.get("maximum").asLong() + 1));
            }
        } else if (schema.path("format").asText().equals("uuid")) {
            values.add("not-a-uuid");
        } else if (schema.has("pattern")) {
            values.add("no-such-value");
        }
        if (name.equals("cursor")) {
            values.add("not-a-cursor");
        }
        return values;
    }

    private static boolean isNumeric(JsonNode schema) {
        String type = schema.path("type").toString();
        return type.contains("integer") || type.contains("number");
    }

    /**
     * A digest of every row of every table of the four schemas but the busy ones (of the compared orgs only, when
     * {@link #digestsOnlyTheComparedOrgs()}).
     */
    protected Map<String, String> snapshot() {
        String orgs = comparedOrgs.stream().map(org -> "'" + org + "'").collect(Collectors.joining(","));
        Map<String, String> digest = new LinkedHashMap<>();
        for (Map<String, Object> row : TestDatabase.sql(snapshotQuery.replace(ORGS, orgs))) {
            digest.put((String) row.get("t"), (String) row.get("h"));
        }
        return digest;
    }
}
