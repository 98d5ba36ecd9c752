package dev.huddle.platform.auth;

import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;

/**
 * Access tokens are WorkOS AuthKit JWTs, checked by quarkus-oidc against the JWKS at {@code quarkus.oidc.jwks-path}
 * ({@code AUTH_JWKS_URL}) with the algorithm pinned to RS256, then by {@link TokenClaimsCheck}: an accepted issuer,
 * a subject, and our WorkOS client id where WorkOS puts it. WorkOS has no {@code aud}; its {@code iss} varies with the
 * setup, so the accepted issuers are a configured set.
 */
@ConfigMapping(prefix = "huddle.auth")
public interface AuthConfig {

    /**
     * Accepted {@code iss} values: {@code https://api.workos.com}, {@code https://api.workos.com/user_management/<client
     * id>} or a custom auth domain. Environment: {@code AUTH_ISSUERS}, comma-separated.
     */
    Set<String> issuers();

    /**
     * The WorkOS client id ({@code client_...}) every token must have been issued to: named by the issuer
     * ({@code .../user_management/<client id>}, where AuthKit puts it), or else by {@code client_id} or {@code aud}.
     * Unset, every token is refused. Environment: {@code WORKOS_CLIENT_ID}.
     */
    Optional<String> clientId();
}
