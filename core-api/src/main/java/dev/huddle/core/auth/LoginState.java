package dev.huddle.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.SecretKey;

import dev.huddle.platform.problem.ProblemException;

/**
 * The OAuth {@code state} of a sign-in, against login CSRF: {@code <key id>.<payload>.<HMAC>} where the payload
 * is a random nonce and an expiry, signed with a key derived from the active encryption key. The nonce also goes
 * to the browser in an HttpOnly cookie; the callback accepts a state only when its signature holds, it has not
 * expired, and it carries the nonce of the browser's own cookie: a state (and code) obtained by someone else is
 * refused. A state is single use: the callback records its nonce before calling WorkOS
 * ({@code core.auth_login_states_used}) and refuses it the second time.
 */
final class LoginState {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final String PURPOSE = "login-state";

    /** A new state and the nonce for the browser's cookie. */
    record Issued(String state, String nonce) {
    }

    /** A state that passed {@link #verify}: its nonce, which the caller records to use it once, and its expiry. */
    record Verified(String nonce, Instant expiresAt) {
    }

    private final TokenCipher cipher;
    private final Duration ttl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    LoginState(TokenCipher cipher, Duration ttl, Clock clock) {
        this.cipher = cipher;
        this.ttl = ttl;
        this.clock = clock;
    }

    Issued issue() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        String nonce = B64.encodeToString(bytes);
        long expires = clock.instant().plus(ttl).getEpochSecond();
        String keyId = cipher.activeKeyId();
        String payload = B64.encodeToString((nonce + "|" + expires).getBytes(StandardCharsets.UTF_8));
        String signed = keyId + "." + payload;
        return new Issued(signed + "." + B64.encodeToString(mac(cipher.derive(keyId, PURPOSE), signed)), nonce);
    }

    /**
     * Checks a state; whether it was used already is the caller's to check, with the nonce this returns.
     *
     * @throws ProblemException 400 when the state is malformed, forged, expired or not this browser's
     */
    Verified verify(String state, String cookieNonce) {
        String[] parts = state.split("\\.", -1);
        if (parts.length != 3) {
            throw refused("the sign-in state is malformed");
        }
        SecretKey key = cipher.derive(parts[0], PURPOSE);
        byte[] given;
        String payload;
        try {
            given = B64D.decode(parts[2]);
            payload = new String(B64D.decode(parts[1]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw refused("the sign-in state is malformed");
        }
        if (key == null || !MessageDigest.isEqual(mac(key, parts[0] + "." + parts[1]), given)) {
            throw refused("the sign-in state is not one this server issued");
        }
        int bar = payload.indexOf('|');
        long expires;
        try {
            expires = Long.parseLong(payload.substring(bar + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw refused("the sign-in state is malformed");
        }
        if (clock.instant().getEpochSecond() > expires) {
            throw refused("the sign-in took too long; start again");
        }
        String nonce = payload.substring(0, bar);
        if (cookieNonce == null || !MessageDigest.isEqual(nonce.getBytes(StandardCharsets.UTF_8),
                cookieNonce.getBytes(StandardCharsets.UTF_8))) {
            throw refused("the sign-in was not started in this browser; start again");
        }
        return new Verified(nonce, Instant.ofEpochSecond(expires));
    }

    /** The answer to a state presented again: it was consumed by the first callback that presented it. */
    static ProblemException used() {
        return refused("this sign-in state was used already; start again");
    }

    private static byte[] mac(SecretKey key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing the sign-in state failed: " + e.getClass().getSimpleName());
        }
    }

    private static ProblemException refused(String detail) {
        return ProblemException.badRequest(detail);
    }
}
