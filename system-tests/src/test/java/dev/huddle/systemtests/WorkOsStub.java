package dev.huddle.systemtests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import dev.huddle.testing.TokenMinter;

/**
 * Stands in for WorkOS: the JWKS of this run's signing key at {@code /sso/jwks/<client>} (tokens are real RS256,
 * from {@link TokenMinter}); the Events API ({@code GET /events}, oldest first, paged by {@code after}) through
 * which core-api learns the users, and the organizations and memberships managed in WorkOS: a user exists for the
 * services once core-api's sync has read its {@code user.created}; and AuthKit's authenticate endpoint, for the code
 * exchange of a sign-in and the single-use exchange of refresh tokens.
 */
public final class WorkOsStub implements AutoCloseable {

    public static final String CLIENT_ID = "client_01SYSTEMTEST";
    public static final String API_KEY = "sk_test_workos_system";

    static final String AUTHENTICATE = "/user_management/authenticate";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WireMockServer server;
    private final TokenMinter minter = TokenMinter.generate();
    private final List<ObjectNode> events = new ArrayList<>();
    private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
    private int seq;

    WorkOsStub() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(get(urlEqualTo("/sso/jwks/" + CLIENT_ID)).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(minter.jwksJson())));
        serveEvents();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The {@code iss} of AuthKit access tokens for this client. */
    public String issuer() {
        return baseUrl() + "/user_management/" + CLIENT_ID;
    }

    public WireMockServer server() {
        return server;
    }

    /** A user WorkOS announces ({@code user.created}); core-api knows them once its sync has read the event. */
    public synchronized User createUser(String firstName) {
        String id = "user_01" + run + "U" + (++seq);
        String email = firstName.toLowerCase() + "-" + seq + "-" + run.toLowerCase() + "@example.test";
        ObjectNode user = JSON.createObjectNode().put("object", "user").put("id", id).put("email", email)
                .put("email_verified", true).put("first_name", firstName).put("last_name", "System")
                .putNull("profile_picture_url").putNull("last_sign_in_at").putNull("external_id")
                .put("created_at", Instant.now().toString()).put("updated_at", Instant.now().toString());
        announce("user.created", user);
        return new User(id, email, minter.mint(issuer(), id, Duration.ofHours(2)));
    }

    /** An organization created in WorkOS ({@code organization.created}); returns its WorkOS id. */
    public synchronized String createOrganization(String name) {
        String id = "org_01" + run + "O" + (++seq);
        ObjectNode org = JSON.createObjectNode().put("object", "organization").put("id", id).put("name", name)
                .put("allow_profiles_outside_organization", false).putNull("external_id")
                .put("created_at", Instant.now().toString()).put("updated_at", Instant.now().toString());
        org.putArray("domains");
        org.putObject("metadata");
        announce("organization.created", org);
        return id;
    }

    /**
     * A membership WorkOS announces: {@code organization_membership.created}, or {@code .updated} (as when it is
     * deactivated: status {@code inactive}) for a membership id an earlier call returned; returns its id.
     */
    public synchronized String membership(String membershipId, String organizationId, User user, String roleSlug,
            String status) {
        String id = membershipId != null ? membershipId : "om_01" + run + "M" + (++seq);
        ObjectNode membership = JSON.createObjectNode().put("object", "organization_membership").put("id", id)
                .put("user_id", user.workosId()).put("organization_id", organizationId).put("status", status)
                .put("created_at", Instant.now().toString()).put("updated_at", Instant.now().toString());
        membership.putObject("role").put("slug", roleSlug);
        announce(membershipId == null ? "organization_membership.created" : "organization_membership.updated",
                membership);
        return id;
    }

    private void announce(String type, ObjectNode data) {
        ObjectNode event = JSON.createObjectNode().put("object", "event")
                .put("id", String.format("event_01%s%05d", run, ++seq)).put("event", type)
                .put("created_at", Instant.now().toString());
        event.set("data", data);
        events.add(event);
        serveEvents();
    }

    /**
     * AuthKit's code exchange ({@code POST /user_management/authenticate}, {@code grant_type=authorization_code},
     * with our client's id and secret) for a sign-in of {@code user}: answers their tokens, with the refresh token
     * {@code refreshToken}; returns the code.
     */
    public String signInCode(User user, String refreshToken) {
        String code = UUID.randomUUID().toString().replace("-", "").toUpperCase();
        server.stubFor(authenticate("authorization_code", "code", code).willReturn(authenticated(user, refreshToken)));
        return code;
    }

    /**
     * A refresh token WorkOS exchanges once, as WorkOS does: the first exchange answers, after {@code delay}, new
     * tokens with the refresh token {@code next}; any later one {@code 400 invalid_grant}.
     */
    public void refreshOnce(String refreshToken, User user, String next, Duration delay) {
        String scenario = "refresh " + refreshToken;
        server.stubFor(authenticate("refresh_token", "refresh_token", refreshToken).inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("spent")
                .willReturn(authenticated(user, next).withFixedDelay((int) delay.toMillis())));
        server.stubFor(authenticate("refresh_token", "refresh_token", refreshToken).inScenario(scenario)
                .whenScenarioStateIs("spent").willReturn(aResponse().withStatus(400)
                        .withHeader("Content-Type", "application/json").withBody(
                                "{\"error\": \"invalid_grant\", \"error_description\": \"Refresh token already exchanged.\"}")));
    }

    /** How many times WorkOS was asked to exchange {@code refreshToken}. */
    public int refreshExchanges(String refreshToken) {
        return server.countRequestsMatching(postRequestedFor(urlEqualTo(AUTHENTICATE))
                .withRequestBody(matchingJsonPath("$.grant_type", equalTo("refresh_token")))
                .withRequestBody(matchingJsonPath("$.refresh_token", equalTo(refreshToken))).build()).getCount();
    }

    /** A refresh token shaped like WorkOS's (opaque, alphanumeric). */
    public static String newRefreshToken() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 25);
    }

    private static MappingBuilder authenticate(String grantType, String field, String value) {
        return post(urlEqualTo(AUTHENTICATE)).withHeader("Content-Type", containing("application/json"))
                .withRequestBody(matchingJsonPath("$.client_id", equalTo(CLIENT_ID)))
                .withRequestBody(matchingJsonPath("$.client_secret", equalTo(API_KEY)))
                .withRequestBody(matchingJsonPath("$.grant_type", equalTo(grantType)))
                .withRequestBody(matchingJsonPath("$." + field, equalTo(value)));
    }

    /** AuthKit's authenticate answer: the user, a fresh access token (RS256, this run's key), the refresh token. */
    private ResponseDefinitionBuilder authenticated(User user, String refreshToken) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("user").put("object", "user").put("id", user.workosId()).put("email", user.email())
                .put("email_verified", true).put("first_name", "Signed").put("last_name", "In")
                .putNull("profile_picture_url").put("created_at", Instant.now().toString())
                .put("updated_at", Instant.now().toString());
        body.putNull("organization_id");
        body.put("access_token", minter.mint(issuer(), user.workosId(), Duration.ofMinutes(5)))
                .put("refresh_token", refreshToken).put("authentication_method", "GoogleOAuth");
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body.toString());
    }

    /** WorkOS's Events API answers 503 until the returned stub is removed ({@link #server()}). */
    public StubMapping eventsDown() {
        return server.stubFor(get(urlPathEqualTo("/events")).atPriority(1).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody("{\"message\": \"Service Unavailable\"}")));
    }

    /** Calls the Events API got. */
    public int eventsCalls() {
        return server.findAll(getRequestedFor(urlPathEqualTo("/events"))).size();
    }

    /**
     * The access token AuthKit issues the WorkOS user {@code workosUserId} (its {@code sub}), valid for two hours: for
     * users core-api knows without an event from this stub, such as those of an adopted database.
     */
    public String tokenFor(String workosUserId) {
        return token(workosUserId, Duration.ofHours(2));
    }

    /**
     * A token AuthKit would have issued to the WorkOS user {@code workosUserId}, valid for {@code validity} (negative:
     * expired that long ago).
     */
    public String token(String workosUserId, Duration validity) {
        return minter.mint(issuer(), workosUserId, validity);
    }

    /** A token for {@code user} that expired a minute ago. */
    public String expiredToken(User user) {
        return minter.mint(issuer(), user.workosId(), Duration.ofMinutes(-1));
    }

    /** Serves the events as the Events API does: after any of their ids (or none), the rest, oldest first. */
    private void serveEvents() {
        for (int i = 0; i <= events.size(); i++) {
            ArrayNode data = JSON.createArrayNode();
            events.subList(i, events.size()).forEach(data::add);
            ObjectNode page = JSON.createObjectNode().put("object", "list");
            page.set("data", data);
            ObjectNode metadata = page.putObject("list_metadata").putNull("before");
            if (events.size() > i) {
                metadata.put("after", events.get(events.size() - 1).get("id").asText());
            } else {
                metadata.putNull("after");
            }
            server.stubFor(get(urlPathEqualTo("/events"))
                    .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                    .withQueryParam("order", equalTo("asc"))
                    .withQueryParam("after", i == 0 ? absent() : equalTo(events.get(i - 1).get("id").asText()))
                    .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(page.toString())));
        }
    }

    @Override
    public void close() {
        server.stop();
    }

    /** A WorkOS user, with an access token AuthKit would have issued them. */
    public record User(String workosId, String email, String token) {
    }
}
