package dev.huddle.platform.auth;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/** Refuses (401) a correctly signed token whose issuer is not one of {@link AuthConfig#issuers()}. */
@ApplicationScoped
public class IssuerCheck implements SecurityIdentityAugmentor {

    private final AuthConfig config;

    public IssuerCheck(AuthConfig config) {
        this.config = config;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        if (identity.getPrincipal() instanceof JsonWebToken jwt && config.issuers().contains(jwt.getIssuer())
                && jwt.getSubject() != null && !jwt.getSubject().isBlank()) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().failure(new AuthenticationFailedException("token issuer or subject not accepted"));
    }
}
