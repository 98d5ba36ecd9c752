package dev.huddle.core.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import dev.huddle.core.identity.WorkOsTestResource;
import dev.huddle.testing.AuthTestResource;
import dev.huddle.testing.TestDatabase;
import dev.huddle.testing.TestTokens;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * WorkOS AuthKit's side of sign-in, on the shared WorkOS WireMock stub ({@link WorkOsTestResource}), in its wire
 * format: {@code POST /user_management/authenticate} with {@code client_id}, {@code client_secret}, {@code grant_type}
 * and the code or refresh token, answered with {@code {user, organization_id, access_token, refresh_token,
 * authentication_method}} or {@code 400 {"error": "invalid_grant", "error_description": ...}}. Refresh tokens are
 * single use, as at WorkOS: once exchanged, the same token gets invalid_grant. Plus the client side: signing in
 * through {@code /v1/auth/login} and {@code /v1/auth/callback}.
 */
final class AuthKit {

    static final String AUTHENTICATE = "/user_management/authenticate";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** What WorkOS issues for a user: an access token (a real signed JWT) and a refresh token. */
    record Pair(String userId, String organizationId, String accessToken, String refreshToken) {
    }

    private AuthKit() {
    }

    static String userId() {
        return "user_01" + random(24).toUpperCase();
    }

    /** A refresh token shaped like WorkOS's (opaque, alphanumeric). */
    static String refreshToken() {
        return random(25);
    }

    static Pair pair(String userId, String organizationId) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sid", "session_01" + random(24).toUpperCase());
        if (organizationId != null) {
            claims.put("org_id", organizationId);
            claims.put("role", "member");
        }
        claims.put("jti", UUID.randomUUID().toString());
        return new Pair(userId, organizationId, TestTokens.withClaims(userId, claims), refreshToken());
    }

    /** WorkOS's authenticate response for {@code pair}. */
    static String authenticated(Pair pair) {
        JsonObject user = new JsonObject().put("object", "user").put("id", pair.userId())
                .put("email", pair.userId().toLowerCase() + "@example.test").put("email_verified", true)
                .put("first_name", "Ada").put("last_name", "Lovelace").put("profile_picture_url", null)
                .put("created_at", "2026-11-01T10:00:00.000Z").put("updated_at", "2026-11-01T10:00:00.000Z");
        return new JsonObject().put("user", user).put("organization_id", pair.organizationId())
                .put("access_token", pair.accessToken()).put("refresh_token", pair.refreshToken())
                .put("authentication_method", "GoogleOAuth").encode();
    }

    static ResponseDefinitionBuilder ok(Pair pair) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(authenticated(pair));
    }

    static ResponseDefinitionBuilder invalidGrant(String description) {
        return aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody(new JsonObject().put("error", "invalid_grant").put("error_description", description).encode());
    }

    /**
     * The authenticate call for a grant, with our client's credentials (the API key also as bearer token, as WorkOS's
     * SDKs send it on every request).
     */
    static MappingBuilder authenticate(String grantType, String field, String value) {
        return post(urlEqualTo(AUTHENTICATE))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Authorization", equalTo("Bearer " + WorkOsTestResource.API_KEY))
                .withRequestBody(matchingJsonPath("$.client_id", equalTo(AuthTestResource.CLIENT_ID)))
                .withRequestBody(matchingJsonPath("$.client_secret", equalTo(WorkOsTestResource.API_KEY)))
                .withRequestBody(matchingJsonPath("$.grant_type", equalTo(grantType)))
                .withRequestBody(matchingJsonPath("$." + field, equalTo(value)));
    }

    static RequestPatternBuilder refreshCalls(String refreshToken) {
        return postRequestedFor(urlEqualTo(AUTHENTICATE))
                .withRequestBody(matchingJsonPath("$.grant_type", equalTo("refresh_token")))
                .withRequestBody(matchingJsonPath("$.refresh_token", equalTo(refreshToken)));
    }

    /** How many times WorkOS was asked to exchange {@code code}. */
    static int codeCallCount(String code) {
        return WorkOsTestResource.server().countRequestsMatching(postRequestedFor(urlEqualTo(AUTHENTICATE))
                .withRequestBody(matchingJsonPath("$.grant_type", equalTo("authorization_code")))
                .withRequestBody(matchingJsonPath("$.code", equalTo(code))).build()).getCount();
    }

    static int refreshCallCount(String refreshToken) {
        return WorkOsTestResource.server().countRequestsMatching(refreshCalls(refreshToken).build()).getCount();
    }

    /** The code exchange gives {@code pair}. */
    static void stubCode(String code, Pair pair) {
        WorkOsTestResource.server().stubFor(authenticate("authorization_code", "code", code).willReturn(ok(pair)));
    }

    /**
     * A refresh token exchanged once, as WorkOS does: the first call gets {@code next} (after {@code delay}), any
     * later call invalid_grant.
     */
    static void stubRefreshOnce(String refreshToken, Pair next, Duration delay) {
        String scenario = "refresh " + refreshToken;
        WorkOsTestResource.server().stubFor(authenticate("refresh_token", "refresh_token", refreshToken)
                .inScenario(scenario).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("spent")
                .willReturn(ok(next).withFixedDelay((int) delay.toMillis())));
        WorkOsTestResource.server().stubFor(authenticate("refresh_token", "refresh_token", refreshToken)
                .inScenario(scenario).whenScenarioStateIs("spent")
                .willReturn(invalidGrant("Refresh token already exchanged.")));
    }

    /** Every refresh with this token answers {@code response}. */
    static void stubRefresh(String refreshToken, ResponseDefinitionBuilder response) {
        WorkOsTestResource.server().stubFor(authenticate("refresh_token", "refresh_token", refreshToken).willReturn(response));
    }

    /** A sign-in started: the state from AuthKit's URL and the nonce cookie. */
    record Started(URI location, String state, String nonce) {
    }

    static Started startLogin() {
        Response login = given().redirects().follow(false).when().get("/v1/auth/login");
        assertEquals(302, login.statusCode(), login.asString());
        URI location = URI.create(login.header("Location"));
        String nonce = login.getCookie(AuthResource.STATE_COOKIE);
        assertNotNull(nonce, "the state nonce cookie is set");
        return new Started(location, query(location).get("state"), nonce);
    }

    /** Signs in through login and callback; WorkOS gives {@code pair}. */
    static Response signIn(Pair pair) {
        Started started = startLogin();
        String code = random(26).toUpperCase();
        stubCode(code, pair);
        return given().cookie(AuthResource.STATE_COOKIE, started.nonce())
                .queryParam("code", code).queryParam("state", started.state())
                .when().get("/v1/auth/callback");
    }

    /** A fresh session for a new user; returns what WorkOS issued. */
    static Pair session() {
        Pair pair = pair(userId(), "org_01" + random(24).toUpperCase());
        Response response = signIn(pair);
        assertEquals(200, response.statusCode(), response.asString());
        return pair;
    }

    static Response refresh(String refreshToken) {
        return given().cookie(AuthResource.REFRESH_COOKIE, refreshToken).when().post("/v1/auth/refresh");
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String part : uri.getRawQuery().split("&")) {
            int eq = part.indexOf('=');
            params.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    /** The session a refresh token belongs to, or null. */
    static UUID sessionOf(String refreshToken) {
        var rows = TestDatabase.sql(
                "SELECT session_id FROM core.auth_refresh_tokens WHERE token_hash = sha256(convert_to(?, 'UTF8'))",
                refreshToken);
        return rows.isEmpty() ? null : (UUID) rows.get(0).get("session_id");
    }

    static boolean sessionExists(UUID sessionId) {
        return ((Number) TestDatabase.value("SELECT count(*) FROM core.auth_sessions WHERE id = ?", sessionId)).intValue() == 1;
    }

    static String random(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return s.toString();
    }
}
