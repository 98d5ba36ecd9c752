package dev.huddle.core.auth;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Sign-in sessions ({@code /v1/auth/*}). WorkOS's client id, API key, redirect URI and base URL are
 * {@code huddle.workos.*} ({@link dev.huddle.core.config.WorkOsConfig}); this is what is only about sessions.
 */
@ConfigMapping(prefix = "huddle.sessions")
public interface SessionConfig {

    /**
     * The keys that encrypt refresh and access tokens at rest (AES-256-GCM), comma-separated, each
     * {@code <id>:<base64 of 32 random bytes>} (id: 1 to 32 of {@code A-Z a-z 0-9 _ -}). The first encrypts; all
     * decrypt. To rotate, put a new key first and keep the old one after it for at least the reuse interval.
     * Environment: {@code SESSION_ENCRYPTION_KEYS}.
     */
    Optional<List<String>> encryptionKeys();

    /**
     * How long after a refresh the refresh token it replaced still gets the same answer (callers that raced with
     * it: other tabs, other replicas, a retried request). Presented any later, that token is reuse: the session is
     * revoked. Environment: {@code HUDDLE_SESSIONS_REUSE_INTERVAL}.
     */
    @WithDefault("10s")
    Duration reuseInterval();

    /**
     * Timeout of one call to WorkOS's authenticate endpoint. A refresh holds its session's lease (not a lock, nor a
     * connection) while it waits, so concurrent refreshes of the session wait this long plus a little at most.
     * Environment:
     * {@code HUDDLE_SESSIONS_WORKOS_TIMEOUT}.
     */
    @WithDefault("10s")
    Duration workosTimeout();

    /**
     * After WorkOS answered a refresh with 429 or 5xx, or timed out, without a {@code Retry-After}: how long
     * further refreshes of that session answer 503 at once instead of calling WorkOS again. Environment:
     * {@code HUDDLE_SESSIONS_UNAVAILABLE_BACKOFF}.
     */
    @WithDefault("1s")
    Duration unavailableBackoff();

    /** How long a sign-in started at {@code /v1/auth/login} may take. Environment: {@code HUDDLE_SESSIONS_STATE_TTL}. */
    @WithDefault("10m")
    Duration stateTtl();

    /**
     * A session nobody refreshed for this long is deleted. Environment: {@code HUDDLE_SESSIONS_IDLE_TIMEOUT}.
     */
    @WithDefault("P30D")
    Duration idleTimeout();

    /**
     * How long the hashes of replaced refresh tokens are kept: within it, presenting an old token revokes the session
     * (reuse detection); after it, an old token is merely unknown (401). Environment:
     * {@code HUDDLE_SESSIONS_RETIRED_TOKEN_RETENTION}.
     */
    @WithDefault("P7D")
    Duration retiredTokenRetention();

    /**
     * How often idle sessions are pruned (one replica at a time). Environment: {@code HUDDLE_SESSIONS_PRUNE_INTERVAL}.
     */
    @WithDefault("1h")
    Duration pruneInterval();

    /** The cookies that carry the refresh token and the sign-in state. */
    Cookie cookie();

    interface Cookie {

        /**
         * Whether the cookies are {@code Secure} (HTTPS only). Browsers treat {@code http://localhost} as secure;
         * turn it off only for a plain-HTTP host in development. Environment: {@code HUDDLE_SESSIONS_COOKIE_SECURE}.
         */
        @WithDefault("true")
        boolean secure();

        /**
         * Max-Age of the refresh-token cookie. Environment: {@code HUDDLE_SESSIONS_COOKIE_MAX_AGE}.
         */
        @WithDefault("P30D")
        Duration maxAge();
    }
}
