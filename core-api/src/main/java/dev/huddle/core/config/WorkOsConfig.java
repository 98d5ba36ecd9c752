package dev.huddle.core.config;

import java.time.Duration;
import java.util.Optional;

import dev.huddle.platform.config.ExternalService;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** WorkOS User Management: identity sync and sessions. */
@ConfigMapping(prefix = "huddle.workos")
public interface WorkOsConfig {

    /** AuthKit client id ({@code client_...}). Environment: {@code WORKOS_CLIENT_ID}. */
    Optional<String> clientId();

    /** Secret API key ({@code sk_...}). Environment: {@code WORKOS_API_KEY}. */
    Optional<String> apiKey();

    /**
     * Where AuthKit sends the browser back after sign-in, as registered in the WorkOS dashboard: the SPA's callback
     * page, which hands {@code code} and {@code state} to {@code GET /v1/auth/callback}. Environment:
     * {@code WORKOS_REDIRECT_URI}.
     */
    Optional<String> redirectUri();

    /** API base URL. Environment: {@code WORKOS_API_BASE}. */
    @WithDefault("https://api.workos.com")
    String apiBase();

    /** The circuit breaker in front of every call to WorkOS. */
    CircuitBreaker circuitBreaker();

    /**
     * When WorkOS fails (no answer in time, no connection, a 5xx), the calls that follow fail at once with 503
     * instead of each waiting out its timeout: after {@link #requestVolume()} calls of which
     * {@link #failureRatio()} failed, the breaker opens for {@link #delay()}, then lets calls through again (and
     * closes after {@link #successThreshold()} of them succeed). 4xx answers (including 429) are answers, not
     * failures: they never open it.
     */
    interface CircuitBreaker {

        /** How many recent calls are judged. Environment: {@code HUDDLE_WORKOS_CIRCUIT_BREAKER_REQUEST_VOLUME}. */
        @WithDefault("10")
        int requestVolume();

        /**
         * Which share of them must have failed to open it. Environment:
         * {@code HUDDLE_WORKOS_CIRCUIT_BREAKER_FAILURE_RATIO}.
         */
        @WithDefault("0.5")
        double failureRatio();

        /** How long it stays open. Environment: {@code HUDDLE_WORKOS_CIRCUIT_BREAKER_DELAY}. */
        @WithDefault("30s")
        Duration delay();

        /**
         * Calls that must succeed after the delay before it closes. Environment:
         * {@code HUDDLE_WORKOS_CIRCUIT_BREAKER_SUCCESS_THRESHOLD}.
         */
        @WithDefault("1")
        int successThreshold();
    }

    default ExternalService asExternalService() {
        return ExternalService.of("WorkOS", "users, orgs and memberships are not synced from WorkOS",
                "WORKOS_CLIENT_ID", clientId(), "WORKOS_API_KEY", apiKey());
    }
}
