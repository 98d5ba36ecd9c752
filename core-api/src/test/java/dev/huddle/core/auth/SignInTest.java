package dev.huddle.core.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.huddle.core.identity.WorkOsTestResource;
import dev.huddle.testing.AuthTestResource;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class SignInTest {

    // --- login ---

    @Test
    void loginRedirectsToAuthKitWithAStateBoundToAnHttpOnlyCookie() {
        Response login = given().redirects().follow(false).queryParam("organizationId", "org_01HZX5J8Q2W3E4R5T6Y7U8I9O0")
                .when().get("/v1/auth/login");

        assertEquals(302, login.statusCode(), login.asString());
        URI location = URI.create(login.header("Location"));
        assertEquals("http://127.0.0.1:" + WorkOsTestResource.server().port() + "/user_management/authorize",
                location.getScheme() + "://" + location.getAuthority() + location.getPath());
        Map<String, String> query = AuthKit.query(location);
        assertEquals(AuthTestResource.CLIENT_ID, query.get("client_id"));
        assertEquals(SessionTestResource.REDIRECT_URI, query.get("redirect_uri"));
        assertEquals("code", query.get("response_type"));
        assertEquals("authkit", query.get("provider"));
        assertEquals("org_01HZX5J8Q2W3E4R5T6Y7U8I9O0", query.get("organization_id"));
        assertTrue(query.get("state").length() > 40, "a signed state: " + query.get("state"));
        assertEquals("no-store", login.header("Cache-Control"));
        String cookie = login.header("Set-Cookie");
        assertTrue(cookie.startsWith(AuthResource.STATE_COOKIE + "="), cookie);
        for (String attribute : List.of("Path=/v1/auth", "HttpOnly", "Secure", "SameSite=Lax", "Max-Age=600")) {
            assertTrue(cookie.contains("; " + attribute), cookie + " has " + attribute);
        }
        // each login a new state
        assertFalse(query.get("state").equals(AuthKit.startLogin().state()));
    }

    @Test
    void loginWithoutAnOrganizationHasNoHint() {
        AuthKit.Started started = AuthKit.startLogin();
        assertFalse(AuthKit.query(started.location()).containsKey("organization_id"));
    }

    @Test
    void loginWithAMalformedOrganizationIdIs400() {
        given().redirects().follow(false).queryParam("organizationId", "not an org").when().get("/v1/auth/login")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("organizationId"));
    }

    @Test
    void theSignInRoutesNeedNoBearerTokenAndIgnoreABadOne() {
        given().redirects().follow(false).auth().oauth2("not-a-token").when().get("/v1/auth/login").then().statusCode(302);
        given().auth().oauth2("not-a-token").when().post("/v1/auth/logout").then().statusCode(204);
    }

    // --- callback ---

    @Test
    void callbackExchangesTheCodeAndStartsASession() {
        AuthKit.Pair pair = AuthKit.pair(AuthKit.userId(), "org_01" + AuthKit.random(20).toUpperCase());

        Response response = AuthKit.signIn(pair);

        assertEquals(200, response.statusCode(), response.asString());
        assertEquals(pair.accessToken(), response.path("accessToken"));
        assertEquals("Bearer", response.path("tokenType"));
        assertEquals(pair.userId(), response.path("userId"));
        assertEquals(pair.organizationId(), response.path("organizationId"));
        assertEquals(Instant.ofEpochSecond(new JsonObject(new String(Base64.getUrlDecoder().decode(
                pair.accessToken().split("\\.")[1]), StandardCharsets.UTF_8)).getLong("exp")),
                Instant.parse(response.path("expiresAt")));
        assertNull(response.path("refreshToken"), "the refresh token is not in the body");
        assertEquals("no-store", response.header("Cache-Control"));
        List<String> cookies = response.headers().getValues("Set-Cookie");
        String refreshCookie = cookies.stream().filter(c -> c.startsWith(AuthResource.REFRESH_COOKIE + "=")).findFirst()
                .orElseThrow();
        assertTrue(refreshCookie.startsWith(AuthResource.REFRESH_COOKIE + "=" + pair.refreshToken() + ";"), refreshCookie);
        for (String attribute : List.of("Path=/v1/auth", "HttpOnly", "Secure", "SameSite=Strict", "Max-Age=2592000")) {
            assertTrue(refreshCookie.contains("; " + attribute), refreshCookie + " has " + attribute);
        }
        assertTrue(cookies.stream().anyMatch(c -> c.startsWith(AuthResource.STATE_COOKIE + "=;") && c.contains("Max-Age=0")),
                "the state cookie is cleared: " + cookies);

        UUID session = AuthKit.sessionOf(pair.refreshToken());
        assertNotNull(session, "the session is found by the hash of its refresh token");
        Map<String, Object> row = TestDatabase.sql("SELECT * FROM core.auth_sessions WHERE id = ?", session).get(0);
        assertEquals(pair.userId(), row.get("workos_user_id"));
        assertEquals(pair.organizationId(), row.get("workos_org_id"));
        assertEquals("k2", row.get("key_id"), "under the first configured key");
    }

    @Test
    void tokensAreNotStoredInClear() throws Exception {
        AuthKit.Pair pair = AuthKit.session();
        UUID session = AuthKit.sessionOf(pair.refreshToken());

        Map<String, Object> row = TestDatabase.sql("SELECT * FROM core.auth_sessions WHERE id = ?", session).get(0);
        byte[] refreshEnc = (byte[]) row.get("refresh_token_enc");
        byte[] accessEnc = (byte[]) row.get("access_token_enc");
        for (String token : List.of(pair.refreshToken(), pair.accessToken())) {
            byte[] clear = token.getBytes(StandardCharsets.UTF_8);
            assertFalse(contains(refreshEnc, clear), "refresh ciphertext holds a token in clear");
            assertFalse(contains(accessEnc, clear), "access ciphertext holds a token in clear");
            // nor anywhere in the session's rows, however rendered
            String everything = TestDatabase.sql("""
                    SELECT row_to_json(s)::text || coalesce((SELECT string_agg(row_to_json(t)::text, '')
                        FROM core.auth_refresh_tokens t WHERE t.session_id = s.id), '') AS everything
                    FROM core.auth_sessions s WHERE s.id = ?""", session).get(0).get("everything").toString();
            assertFalse(everything.contains(token), "a token is stored in clear");
            assertFalse(everything.contains(HexFormat.of().formatHex(clear)), "a token is stored in clear (hex)");
        }
        assertTrue(refreshEnc.length >= 1 + 12 + 16 + pair.refreshToken().length(), "AES-GCM: version, nonce, tag");
        byte[] hash = (byte[]) TestDatabase.value("SELECT token_hash FROM core.auth_refresh_tokens WHERE session_id = ?",
                session);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(pair.refreshToken().getBytes(StandardCharsets.UTF_8)),
                hash);
    }

    @Test
    void callbackWithAForgedStateIs400AndNeverReachesWorkOs() {
        AuthKit.Started started = AuthKit.startLogin();
        String[] parts = started.state().split("\\.");
        String otherPayload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(
                        (started.nonce() + "|" + (Instant.now().getEpochSecond() + 86400)).getBytes(StandardCharsets.UTF_8));
        String code = AuthKit.random(26);
        AuthKit.stubCode(code, AuthKit.pair(AuthKit.userId(), null));

        for (String state : List.of(parts[0] + "." + otherPayload + "." + parts[2], "garbage", "k2..",
                "nokey." + parts[1] + "." + parts[2], started.state() + "x")) {
            given().cookie(AuthResource.STATE_COOKIE, started.nonce()).queryParam("code", code).queryParam("state", state)
                    .when().get("/v1/auth/callback")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString("state"));
        }
        assertEquals(0, codeCalls(code));
    }

    @Test
    void aLoginStateUsedTwiceIs400TheSecondTimeAndNeverReachesWorkOs() {
        AuthKit.Started started = AuthKit.startLogin();
        String first = AuthKit.random(26);
        String second = AuthKit.random(26);
        AuthKit.stubCode(first, AuthKit.pair(AuthKit.userId(), null));
        AuthKit.stubCode(second, AuthKit.pair(AuthKit.userId(), null));

        callback(started, first).then().statusCode(200);
        callback(started, second).then().statusCode(400).contentType("application/problem+json").body("detail",
                containsString("used"));

        assertEquals(1, codeCalls(first));
        assertEquals(0, codeCalls(second));
    }

    @Test
    void aLoginStateIsSpentEvenWhenWorkOsRefusesItsCode() {
        AuthKit.Started started = AuthKit.startLogin();
        String junk = AuthKit.random(26);
        String good = AuthKit.random(26);
        WorkOsTestResource.server().stubFor(AuthKit.authenticate("authorization_code", "code", junk)
                .willReturn(AuthKit.invalidGrant("The code is invalid.")));
        AuthKit.stubCode(good, AuthKit.pair(AuthKit.userId(), null));

        callback(started, junk).then().statusCode(400).body("detail", containsString("WorkOS refused"));
        callback(started, good).then().statusCode(400).body("detail", containsString("used"));

        assertEquals(1, codeCalls(junk));
        assertEquals(0, codeCalls(good));
    }

    @Test
    void callbackWithAnotherBrowsersStateIs400() {
        AuthKit.Started mine = AuthKit.startLogin();
        AuthKit.Started theirs = AuthKit.startLogin();
        String code = AuthKit.random(26);
        AuthKit.stubCode(code, AuthKit.pair(AuthKit.userId(), null));

        // their state with my cookie, and a state without any cookie
        given().cookie(AuthResource.STATE_COOKIE, mine.nonce()).queryParam("code", code).queryParam("state", theirs.state())
                .when().get("/v1/auth/callback").then().statusCode(400).body("detail", containsString("browser"));
        given().queryParam("code", code).queryParam("state", mine.state())
                .when().get("/v1/auth/callback").then().statusCode(400).body("detail", containsString("browser"));
        assertEquals(0, codeCalls(code));
    }

    @Test
    void callbackWithoutCodeOrStateIs400() {
        AuthKit.Started started = AuthKit.startLogin();
        given().cookie(AuthResource.STATE_COOKIE, started.nonce()).queryParam("state", started.state())
                .when().get("/v1/auth/callback").then().statusCode(400).body("errors[0].field",
                        org.hamcrest.Matchers.equalTo("code"));
        given().cookie(AuthResource.STATE_COOKIE, started.nonce()).queryParam("code", "abc")
                .when().get("/v1/auth/callback").then().statusCode(400).body("errors[0].field",
                        org.hamcrest.Matchers.equalTo("state"));
    }

    @Test
    void callbackWithAnAuthKitErrorIs400() {
        given().queryParam("error", "access_denied").queryParam("error_description", "The user denied")
                .when().get("/v1/auth/callback").then().statusCode(400).body("detail", containsString("access_denied"));
    }

    @Test
    void aCodeWorkOsRefusesIs400AndCreatesNoSession() {
        AuthKit.Started started = AuthKit.startLogin();
        String code = AuthKit.random(26);
        WorkOsTestResource.server().stubFor(AuthKit.authenticate("authorization_code", "code", code)
                .willReturn(AuthKit.invalidGrant("The code has expired or is invalid.")));
        long before = ((Number) TestDatabase.value("SELECT count(*) FROM core.auth_sessions")).longValue();

        given().cookie(AuthResource.STATE_COOKIE, started.nonce()).queryParam("code", code).queryParam("state", started.state())
                .when().get("/v1/auth/callback").then().statusCode(400).body("detail", containsString("invalid_grant"));

        assertEquals(1, codeCalls(code));
        assertEquals(before, ((Number) TestDatabase.value("SELECT count(*) FROM core.auth_sessions")).longValue());
    }

    // --- logout ---

    @Test
    void logoutEndsTheSessionClearsTheCookieAndIsIdempotent() {
        AuthKit.Pair pair = AuthKit.session();
        UUID session = AuthKit.sessionOf(pair.refreshToken());

        Response out = given().cookie(AuthResource.REFRESH_COOKIE, pair.refreshToken()).when().post("/v1/auth/logout");

        assertEquals(204, out.statusCode(), out.asString());
        String cookie = out.header("Set-Cookie");
        assertTrue(cookie.startsWith(AuthResource.REFRESH_COOKIE + "=;") && cookie.contains("Max-Age=0"), cookie);
        assertFalse(AuthKit.sessionExists(session));
        Response refresh = AuthKit.refresh(pair.refreshToken());
        assertEquals(401, refresh.statusCode());
        assertEquals(0, AuthKit.refreshCallCount(pair.refreshToken()));

        given().cookie(AuthResource.REFRESH_COOKIE, pair.refreshToken()).when().post("/v1/auth/logout").then().statusCode(204);
        given().when().post("/v1/auth/logout").then().statusCode(204);
    }

    @Test
    void refreshWithoutACookieIs401() {
        given().when().post("/v1/auth/refresh").then().statusCode(401).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("urn:huddle:problem:session-ended"));
        AuthKit.refresh("no-such-token").then().statusCode(401);
    }

    /** The callback of a login started in this browser, with {@code code}. */
    private static Response callback(AuthKit.Started started, String code) {
        return given().cookie(AuthResource.STATE_COOKIE, started.nonce()).queryParam("code", code)
                .queryParam("state", started.state()).when().get("/v1/auth/callback");
    }

    private static int codeCalls(String code) {
        return AuthKit.codeCallCount(code);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer: for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
