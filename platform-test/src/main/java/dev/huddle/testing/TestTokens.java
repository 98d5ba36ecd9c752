package dev.huddle.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;

/** Real signed access tokens for tests, from the key whose JWKS {@link AuthTestResource} serves. */
public final class TestTokens {

    private TestTokens() {
    }

    /** A valid token for WorkOS user {@code workosUserId}. */
    public static String forUser(String workosUserId) {
        return minter().mint(AuthTestResource.ISSUER, workosUserId, Duration.ofMinutes(5));
    }

    /** A token that expired a minute ago (beyond quarkus-oidc's default leeway). */
    public static String expired(String workosUserId) {
        return minter().mint(AuthTestResource.ISSUER, workosUserId, Duration.ofMinutes(-5));
    }

    /** A well-formed token signed by a key the services do not trust. */
    public static String signedByAnotherKey(String workosUserId) {
        return TokenMinter.generate().mint(AuthTestResource.ISSUER, workosUserId, Duration.ofMinutes(5));
    }

    /**
     * A token from the trusted key and {@code issuer}; an issuer that does not name the client (a custom auth domain)
     * gets the test client in {@code client_id}, so that only the issuer decides.
     */
    public static String fromIssuer(String issuer, String workosUserId) {
        Map<String, Object> claims = issuer.contains("/user_management/") ? Map.of()
                : Map.of("client_id", AuthTestResource.CLIENT_ID);
        return minter().mint(issuer, workosUserId, Duration.ofMinutes(5), claims);
    }

    public static String withClaims(String workosUserId, Map<String, Object> claims) {
        return minter().mint(AuthTestResource.ISSUER, workosUserId, Duration.ofMinutes(5), claims);
    }

    static TokenMinter minter() {
        String file = ConfigProvider.getConfig().getValue(AuthTestResource.KEY_FILE_PROPERTY, String.class);
        return TokenMinter.loadOrGenerate(Path.of(file));
    }
}
