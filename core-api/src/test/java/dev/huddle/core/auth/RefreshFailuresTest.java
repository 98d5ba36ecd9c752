package dev.huddle.core.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * What WorkOS's refusals and failures do to a session: a terminal refusal ends it; 429, 5xx and timeouts leave it as
 * it is. The WorkOS client never retries: each failure is exactly one request.
 */
@QuarkusTest
class RefreshFailuresTest {

    @Test
    void invalidGrantIs401AndTheSessionIsGone() {
        AuthKit.Pair pair = AuthKit.session();
        UUID session = AuthKit.sessionOf(pair.refreshToken());
        AuthKit.stubRefresh(pair.refreshToken(), AuthKit.invalidGrant("Session has already ended."));

        Response response = AuthKit.refresh(pair.refreshToken());

        assertEquals(401, response.statusCode(), response.asString());
        assertEquals("urn:huddle:problem:session-ended", response.path("type"));
        String cookie = response.header("Set-Cookie");
        assertTrue(cookie != null && cookie.startsWith(AuthResource.REFRESH_COOKIE + "=;") && cookie.contains("Max-Age=0"),
                "the cookie is cleared: " + cookie);
        assertFalse(AuthKit.sessionExists(session));
        assertNull(AuthKit.sessionOf(pair.refreshToken()));
        assertEquals(1, AuthKit.refreshCallCount(pair.refreshToken()));
    }

    @Test
    void mfaEnrollmentInWorkOsAuthenticationErrorFormatEndsTheSessionToo() {
        AuthKit.Pair pair = AuthKit.session();
        UUID session = AuthKit.sessionOf(pair.refreshToken());
        AuthKit.stubRefresh(pair.refreshToken(), aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"code\":\"mfa_enrollment\",\"message\":\"The user must enroll in MFA to finish authenticating.\","
                        + "\"pending_authentication_token\":\"YQyCkYfuVw2mI3tzSrk2C1Y7S\"}"));

        assertEquals(401, AuthKit.refresh(pair.refreshToken()).statusCode());
        assertFalse(AuthKit.sessionExists(session));
    }

    @Test
    void a500Is503WithOneRequestAndTheSessionKept() throws Exception {
        AuthKit.Pair pair = AuthKit.session();
        UUID session = AuthKit.sessionOf(pair.refreshToken());
        Map<String, Object> before = row(session);
        AuthKit.stubRefresh(pair.refreshToken(), aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Internal Server Error\"}"));

        Response response = AuthKit.refresh(pair.refreshToken());

        assertEquals(503, response.statusCode(), response.asString());
        assertEquals("urn:huddle:problem:workos-unavailable", response.path("type"));
        assertNull(response.header("Retry-After"), "WorkOS gave none");
        assertNull(response.header("Set-Cookie"), "the cookie is kept");
        assertEquals(1, AuthKit.refreshCallCount(pair.refreshToken()), "no retry");
        assertSessionUnchanged(session, before);

        // the kept session still refreshes once WorkOS is back (after the short back-off)
        awaitBackOffOver(session);
        AuthKit.Pair next = AuthKit.pair(pair.userId(), pair.organizationId());
        AuthKit.stubRefreshOnce(pair.refreshToken(), next, Duration.ZERO);
        Response again = AuthKit.refresh(pair.refreshToken());
        assertEquals(200, again.statusCode(), again.asString());
        assertEquals(next.accessToken(), again.path("accessToken"));
    }

    @Test
    void a429Is503WithItsRetryAfterOneRequestAndTheSessionKept() {
        AuthKit.Pair pair = AuthKit.session();
        UUID session = AuthKit.sessionOf(pair.refreshToken());
        Map<String, Object> before = row(session);
        AuthKit.stubRefresh(pair.refreshToken(), aResponse().withStatus(429).withHeader("Retry-After", "30")
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Too many requests\"}"));

        Response response = AuthKit.refresh(pair.refreshToken());

        assertEquals(503, response.statusCode(), response.asString());
        assertEquals("30", response.header("Retry-After"));
        assertEquals(1, AuthKit.refreshCallCount(pair.refreshToken()));
        assertSessionUnchanged(session, before);

        // within WorkOS's Retry-After, further refreshes answer 503 at once without calling WorkOS
        Response soon = AuthKit.refresh(pair.refreshToken());
        assertEquals(503, soon.statusCode());
        int retryAfter = Integer.parseInt(soon.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 30, "Retry-After " + retryAfter);
        assertEquals(1, AuthKit.refreshCallCount(pair.refreshToken()));
        assertSessionUnchanged(session, before);
    }

    @Test
    void aTimeoutIs503WithOneRequestAndTheSessionKept() {
        AuthKit.Pair pair = AuthKit.session();
        UUID session = AuthKit.sessionOf(pair.refreshToken());
        Map<String, Object> before = row(session);
        // longer than huddle.sessions.workos-timeout (2 s in tests)
        AuthKit.stubRefresh(pair.refreshToken(), AuthKit.ok(AuthKit.pair(pair.userId(), null)).withFixedDelay(4000));

        Response response = AuthKit.refresh(pair.refreshToken());

        assertEquals(503, response.statusCode(), response.asString());
        assertEquals(1, AuthKit.refreshCallCount(pair.refreshToken()));
        assertSessionUnchanged(session, before);
    }

    @Test
    void noTokenReachesTheLogs() {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        List<String> tokens = new CopyOnWriteArrayList<>();
        try {
            // sign-in, rotation, a repeat within the interval, a terminal refusal, failures, a reused token, logout
            AuthKit.Pair a = AuthKit.session();
            AuthKit.Pair b = AuthKit.pair(a.userId(), a.organizationId());
            AuthKit.Pair c = AuthKit.pair(a.userId(), a.organizationId());
            tokens.addAll(List.of(a.refreshToken(), a.accessToken(), b.refreshToken(), b.accessToken(), c.refreshToken(),
                    c.accessToken()));
            AuthKit.stubRefreshOnce(a.refreshToken(), b, Duration.ZERO);
            AuthKit.stubRefreshOnce(b.refreshToken(), c, Duration.ZERO);
            assertEquals(200, AuthKit.refresh(a.refreshToken()).statusCode());
            assertEquals(200, AuthKit.refresh(a.refreshToken()).statusCode());
            assertEquals(200, AuthKit.refresh(b.refreshToken()).statusCode());
            assertEquals(401, AuthKit.refresh(a.refreshToken()).statusCode()); // reuse: revoked

            AuthKit.Pair d = AuthKit.session();
            tokens.addAll(List.of(d.refreshToken(), d.accessToken()));
            AuthKit.stubRefresh(d.refreshToken(), aResponse().withStatus(502));
            assertEquals(503, AuthKit.refresh(d.refreshToken()).statusCode());
            AuthKit.Pair e = AuthKit.session();
            tokens.addAll(List.of(e.refreshToken(), e.accessToken()));
            AuthKit.stubRefresh(e.refreshToken(), AuthKit.invalidGrant("Refresh token already exchanged."));
            assertEquals(401, AuthKit.refresh(e.refreshToken()).statusCode());
            AuthKit.Pair f = AuthKit.session();
            tokens.addAll(List.of(f.refreshToken(), f.accessToken()));
            AuthKit.stubRefresh(f.refreshToken(), aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":\"invalid_client\",\"error_description\":\"Invalid client secret.\"}"));
            assertEquals(503, AuthKit.refresh(f.refreshToken()).statusCode());
            io.restassured.RestAssured.given().cookie(AuthResource.REFRESH_COOKIE, f.refreshToken())
                    .post("/v1/auth/logout").then().statusCode(204);
        } finally {
            root.removeHandler(capture);
        }
        assertFalse(records.isEmpty(), "the flows above log something (session revoked, WorkOS unavailable)");
        for (LogRecord record : records) {
            if (record.getLoggerName() != null && record.getLoggerName().toLowerCase().contains("wiremock")) {
                continue; // the stub's own logging, not ours
            }
            String text = render(record);
            for (String token : tokens) {
                assertFalse(text.contains(token), "a token in the log: " + record.getLoggerName() + ": " + text);
            }
        }
    }

    private static String render(LogRecord record) {
        StringBuilder text = new StringBuilder(record instanceof ExtLogRecord ext ? ext.getFormattedMessage()
                : String.valueOf(record.getMessage()));
        if (record.getParameters() != null) {
            for (Object p : record.getParameters()) {
                text.append(' ').append(p);
            }
        }
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            text.append(' ').append(trace);
        }
        return text.toString();
    }

    private static Map<String, Object> row(UUID session) {
        return TestDatabase.sql("""
                SELECT generation, key_id, refresh_token_enc, access_token_enc, rotated_at,
                       (SELECT count(*) FROM core.auth_refresh_tokens WHERE session_id = s.id) AS tokens
                FROM core.auth_sessions s WHERE id = ?""", session).get(0);
    }

    private static void assertSessionUnchanged(UUID session, Map<String, Object> before) {
        Map<String, Object> after = row(session);
        assertEquals(before.get("generation"), after.get("generation"));
        assertEquals(before.get("key_id"), after.get("key_id"));
        assertArrayEquals((byte[]) before.get("refresh_token_enc"), (byte[]) after.get("refresh_token_enc"));
        assertArrayEquals((byte[]) before.get("access_token_enc"), (byte[]) after.get("access_token_enc"));
        assertEquals(before.get("rotated_at"), after.get("rotated_at"));
        assertEquals(before.get("tokens"), after.get("tokens"));
    }

    /** Waits, on the database's clock, until the session's back-off is over. */
    private static void awaitBackOffOver(UUID session) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> Boolean.TRUE.equals(TestDatabase.value("""
                        SELECT retry_not_before IS NULL OR retry_not_before < clock_timestamp()
                        FROM core.auth_sessions WHERE id = ?""", session)));
    }
}
