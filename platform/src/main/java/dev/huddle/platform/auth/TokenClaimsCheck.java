package dev.huddle.platform.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * Refuses (401) a correctly signed token whose issuer is not one of {@link AuthConfig#issuers()}, that has no
 * subject, or that was not issued to {@link AuthConfig#clientId()}: the client named by the issuer
 * ({@code .../user_management/<client id>}, as AuthKit issues them) and by a {@code client_id} claim must be ours,
 * and at least one of them, or {@code aud}, must name it.
 */
@ApplicationScoped
public class TokenClaimsCheck implements SecurityIdentityAugmentor {

    private static final Logger LOG = Logger.getLogger(TokenClaimsCheck.class);
    private static final String USER_MANAGEMENT = "/user_management/";

    private final Set<String> issuers;
    private final Optional<String> clientId;

    public TokenClaimsCheck(AuthConfig config) {
        this.issuers = config.issuers();
        this.clientId = config.clientId().filter(id -> !id.isBlank());
    }

    void onStart(@Observes StartupEvent event) {
        if (clientId.isEmpty()) {
            LOG.warn("WORKOS_CLIENT_ID is not set: every access token is refused (401)");
        }
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getIssuer() != null
                && issuers.contains(jwt.getIssuer())
                && jwt.getSubject() != null && !jwt.getSubject().isBlank() && issuedToUs(jwt)) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom()
                .failure(new AuthenticationFailedException("token issuer, subject or client not accepted"));
    }

    private boolean issuedToUs(JsonWebToken jwt) {
        if (clientId.isEmpty()) {
            return false;
        }
        List<String> named = new ArrayList<>(2);
        String issuer = jwt.getIssuer();
        int at = issuer.lastIndexOf(USER_MANAGEMENT);
        if (at >= 0) {
            named.add(issuer.substring(at + USER_MANAGEMENT.length()));
        }
        Object claim = jwt.getClaim("client_id");
        if (claim != null) {
            named.add(claim instanceof JsonString s ? s.getString() : String.valueOf(claim));
        }
        Set<String> audience = jwt.getAudience();
        return named.stream().allMatch(clientId.get()::equals)
                && (!named.isEmpty() || audience != null && audience.contains(clientId.get()));
    }
}
