package dev.huddle.platform.auth;

import java.util.Set;

import io.smallrye.config.ConfigMapping;

/**
 * Access tokens are WorkOS AuthKit JWTs (RS256), checked by quarkus-oidc against the JWKS at
 * {@code quarkus.oidc.jwks-path} ({@code AUTH_JWKS_URL}). WorkOS has no {@code aud}; its {@code iss} varies with
 * the setup, so the accepted issuers are a configured set.
 */
@ConfigMapping(prefix = "huddle.auth")
public interface AuthConfig {

    /**
     * Accepted {@code iss} values: {@code https://api.workos.com}, {@code https://api.workos.com/user_management/<client
     * id>} or a custom auth domain. Environment: {@code AUTH_ISSUERS}, comma-separated.
     */
    Set<String> issuers();
}
