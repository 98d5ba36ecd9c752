package dev.huddle.platform.ops;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.platform.problem.ProblemException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/**
 * The guard of every operators' endpoint: only WorkOS users listed in {@code huddle.ops.operators} pass (org roles do
 * not count); to anyone else with a valid token these paths do not exist (404), without a token 401.
 */
@ApplicationScoped
public class Operators {

    private final CurrentIdentityAssociation identity;
    private final Set<String> operators;

    public Operators(CurrentIdentityAssociation identity, OpsConfig config) {
        this.identity = identity;
        this.operators = config.operators().orElse(Set.of());
    }

    /** Completes when the caller is an operator; fails with 401 or 404 otherwise. */
    public Uni<Void> check() {
        return identity.getDeferredIdentity().map(caller -> {
            if (caller.isAnonymous()) {
                throw new UnauthorizedException();
            }
            if (!operators.contains(caller.getPrincipal().getName())) {
                throw ProblemException.notFound("resource");
            }
            return null;
        });
    }
}
