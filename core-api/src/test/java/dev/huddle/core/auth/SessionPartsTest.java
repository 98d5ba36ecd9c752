package dev.huddle.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.huddle.core.config.WorkOsConfig;
import dev.huddle.core.workos.WorkOsApiException;
import dev.huddle.core.workos.WorkOsErrorMapper;
import dev.huddle.platform.problem.ProblemException;
import dev.huddle.testing.TestConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The parts of sessions that need no server: encryption, the sign-in state, redaction, configuration. */
class SessionPartsTest {

    private static final String K1 = key();
    private static final String K2 = key();

    private static String key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    static SessionConfig config(String... keys) {
        return TestConfig.mapping(SessionConfig.class, "huddle.sessions.encryption-keys",
                keys.length == 0 ? null : String.join(",", keys));
    }

    static WorkOsConfig workOs(String clientId, String apiKey, String redirectUri) {
        return TestConfig.mapping(WorkOsConfig.class, "huddle.workos.api-base", "http://127.0.0.1:9",
                "huddle.workos.client-id", clientId, "huddle.workos.api-key", apiKey, "huddle.workos.redirect-uri",
                redirectUri);
    }

    // --- encryption ---

    @Test
    void aTokenSealedDecryptsAndEachSealingDiffers() {
        TokenCipher cipher = new TokenCipher(config("k1:" + K1));
        TokenCipher.Sealed a = cipher.encrypt("refresh-token-value", "s1|refresh");
        TokenCipher.Sealed b = cipher.encrypt("refresh-token-value", "s1|refresh");
        assertEquals("k1", a.keyId());
        assertFalse(Arrays.equals(a.bytes(), b.bytes()), "a fresh nonce each time");
        assertEquals("refresh-token-value", cipher.decrypt(a, "s1|refresh"));
    }

    @Test
    void aCiphertextMovedToAnotherSessionOrColumnDoesNotDecrypt() {
        TokenCipher cipher = new TokenCipher(config("k1:" + K1));
        TokenCipher.Sealed sealed = cipher.encrypt("refresh-token-value", "s1|refresh");
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, "s2|refresh"));
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, "s1|access"));
        byte[] altered = sealed.bytes().clone();
        altered[altered.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(new TokenCipher.Sealed("k1", altered), "s1|refresh"));
    }

    @Test
    void keysRotate() {
        TokenCipher old = new TokenCipher(config("k1:" + K1));
        TokenCipher.Sealed underOld = old.encrypt("t", "s|refresh");
        TokenCipher rotated = new TokenCipher(config("k2:" + K2, "k1:" + K1));
        assertEquals("t", rotated.decrypt(underOld, "s|refresh"), "an old key still decrypts");
        assertEquals("k2", rotated.encrypt("t", "s|refresh").keyId(), "the first key encrypts");
        IllegalStateException gone = assertThrows(IllegalStateException.class,
                () -> new TokenCipher(config("k2:" + K2)).decrypt(underOld, "s|refresh"));
        assertTrue(gone.getMessage().contains("k1"));
    }

    @Test
    void aMalformedKeyFailsWithoutShowingIt() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        for (List<String> keys : List.of(List.of("k1:" + shortKey), List.of("k1:not*base64*" + K1), List.of(K1),
                List.of("k1:" + K1, "k1:" + K2), List.of("bad id:" + K1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenCipher.parse(keys));
            assertFalse(e.getMessage().contains(K1) || e.getMessage().contains(K2) || e.getMessage().contains(shortKey),
                    "the message shows a key: " + e.getMessage());
        }
    }

    @Test
    void tokensAreHashedWithSha256() {
        assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
                java.util.HexFormat.of().formatHex(TokenCipher.hash("hello")));
    }

    // --- the sign-in state ---

    @Test
    void aStateVerifiesOnceWithItsNonceAndNotAfterItsTtl() {
        TokenCipher cipher = new TokenCipher(config("k1:" + K1));
        Instant t0 = Instant.parse("2026-11-25T10:00:00Z");
        LoginState.Issued issued = new LoginState(cipher, Duration.ofMinutes(10), Clock.fixed(t0, ZoneOffset.UTC)).issue();

        new LoginState(cipher, Duration.ofMinutes(10), Clock.fixed(t0.plusSeconds(599), ZoneOffset.UTC))
                .verify(issued.state(), issued.nonce());
        ProblemException late = assertThrows(ProblemException.class,
                () -> new LoginState(cipher, Duration.ofMinutes(10), Clock.fixed(t0.plusSeconds(601), ZoneOffset.UTC))
                        .verify(issued.state(), issued.nonce()));
        assertEquals(400, late.status().getStatusCode());
        LoginState now = new LoginState(cipher, Duration.ofMinutes(10), Clock.fixed(t0, ZoneOffset.UTC));
        assertThrows(ProblemException.class, () -> now.verify(issued.state(), "another-nonce"));
        assertThrows(ProblemException.class, () -> now.verify(issued.state(), null));
    }

    @Test
    void aStateSignedWithAnotherKeyIsRefused() {
        LoginState.Issued issued = new LoginState(new TokenCipher(config("k1:" + K2)), Duration.ofMinutes(10),
                Clock.systemUTC()).issue();
        LoginState ours = new LoginState(new TokenCipher(config("k1:" + K1)), Duration.ofMinutes(10), Clock.systemUTC());
        ProblemException e = assertThrows(ProblemException.class, () -> ours.verify(issued.state(), issued.nonce()));
        assertEquals(400, e.status().getStatusCode());
    }

    // --- redaction ---

    @Test
    void nothingPrintsATokenInItsToString() {
        String access = "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjE3OTU2MDAwMDB9.c2lnbmF0dXJl";
        String refresh = "RefreshTokenValue123";
        SessionService.Issued issued = new SessionService.Issued(access, refresh, "user_1", "org_1",
                SessionService.expiry(access));
        for (Object o : List.of(issued, new WorkOsAuthClient.Tokens("user_1", "org_1", access, refresh),
                TokenResponse.of(issued), new WorkOsAuthClient.Authenticated(
                        new WorkOsAuthClient.Tokens("user_1", "org_1", access, refresh)))) {
            assertFalse(o.toString().contains(access) || o.toString().contains(refresh), o.toString());
        }
        assertEquals(Instant.ofEpochSecond(1_795_600_000L), issued.expiresAt());
        assertNull(SessionService.expiry("not-a-jwt"));
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        Instant now = Instant.now();
        assertEquals(Duration.ofSeconds(30), retryAfter("30", now));
        assertNull(retryAfter(null, now));
        assertNull(retryAfter("soon", now));
        Duration date = retryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now);
        assertEquals(Duration.ZERO, date, "a date in the past: now");
    }

    /** The wait a 429 with this {@code Retry-After} header, received at {@code now}, asks for. */
    private static Duration retryAfter(String header, Instant now) {
        return new WorkOsApiException("429", 429, null, WorkOsErrorMapper.retryAt(header, now), null).retryAfter(now);
    }

    // --- not configured ---

    @Test
    void withoutConfigurationEveryOperationIs503AndTheReportSaysWhatIsMissing() {
        SessionConfig noKeys = config();
        for (WorkOsConfig workOs : List.of(workOs(null, null, null), workOs("client_1", "sk_1", null),
                workOs("client_1", "sk_1", "https://app.test/cb"))) {
            SessionService service = new SessionService(null, new SessionRepository(), null, new TokenCipher(noKeys),
                    noKeys, workOs, new SimpleMeterRegistry(), null);
            assertFalse(service.configured());
            assertTrue(service.asExternalService().missing().contains("SESSION_ENCRYPTION_KEYS"));
            for (Runnable call : List.<Runnable> of(() -> service.login(null), () -> service.refresh("t", "192.0.2.1"),
                    () -> service.logout("t", "192.0.2.1"), () -> service.completeLogin("c", "s", "n", "192.0.2.1"))) {
                ProblemException e = assertThrows(ProblemException.class, call::run);
                assertEquals(503, e.status().getStatusCode());
                assertEquals("not-configured", e.slug());
            }
        }
        SessionConfig keys = config("k1:" + K1);
        SessionService noRedirect = new SessionService(null, new SessionRepository(), null, new TokenCipher(keys), keys,
                workOs("client_1", "sk_secret", null), new SimpleMeterRegistry(), null);
        assertEquals(List.of("WORKOS_REDIRECT_URI"), noRedirect.asExternalService().missing());
        assertFalse(noRedirect.asExternalService().toString().contains("sk_secret"), "the API key is not shown");
        assertFalse(noRedirect.configured());
    }
}
