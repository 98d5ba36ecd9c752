package dev.huddle.core.config;

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

    default ExternalService asExternalService() {
        return ExternalService.of("WorkOS", "users, orgs and memberships are not synced from WorkOS",
                "WORKOS_CLIENT_ID", clientId(), "WORKOS_API_KEY", apiKey());
    }
}
