package dev.huddle.core.ratelimit;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The rate limits of core-api, counted in PostgreSQL ({@link RateLimiter}) so that every replica shares them. Chat
 * posting has its own, stricter limit besides ({@code huddle.chat.rate-limit.*}).
 */
@ConfigMapping(prefix = "huddle.rate-limits")
public interface RateLimitConfig {

    /** Every write (POST, PUT, PATCH, DELETE) of the {@code /v1} API with a bearer token, per user and org. */
    Writes writes();

    /** {@code /v1/auth/callback}, {@code /refresh} and {@code /logout}, which reach WorkOS or end sessions. */
    SignIn signIn();

    interface Writes {

        /**
         * Writes a user may make in one org (or outside any org, such as creating one) per {@link #period()}; also the
         * burst allowed after a quiet period. Environment: {@code HUDDLE_RATE_LIMITS_WRITES_REQUESTS}.
         */
        @WithDefault("120")
        int requests();

        /**
         * The period {@link #requests()} are counted over (the bucket refills evenly across it). Environment:
         * {@code HUDDLE_RATE_LIMITS_WRITES_PERIOD}.
         */
        @WithDefault("PT1M")
        Duration period();
    }

    interface SignIn {

        /**
         * Calls one client address may make to the sign-in routes per {@link #period()}. The address is the TCP
         * peer's, or the one a trusted proxy forwarded ({@code quarkus.http.proxy.*}). Environment:
         * {@code HUDDLE_RATE_LIMITS_SIGN_IN_PER_ADDRESS}.
         */
        @WithDefault("120")
        int perAddress();

        /**
         * Calls per {@link #period()} with one sign-in state (callback) or one refresh token (refresh, logout).
         * Environment: {@code HUDDLE_RATE_LIMITS_SIGN_IN_PER_CREDENTIAL}.
         */
        @WithDefault("30")
        int perCredential();

        /**
         * The period both sign-in limits are counted over. Environment: {@code HUDDLE_RATE_LIMITS_SIGN_IN_PERIOD}.
         */
        @WithDefault("PT1M")
        Duration period();
    }
}
