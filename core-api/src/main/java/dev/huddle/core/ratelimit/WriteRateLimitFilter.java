package dev.huddle.core.ratelimit;

import java.util.Set;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.huddle.platform.tenancy.OrgAccessFilter;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/**
 * The write rate limit: every POST, PUT, PATCH and DELETE of the {@code /v1} API made with a bearer token takes a token
 * from the bucket of its caller (WorkOS user id) in its org (the {@code orgId} path parameter, or none, as for creating
 * an org), {@code huddle.rate-limits.writes.*}; over it the answer is 429 with Retry-After and nothing is written.
 * It runs after the tenant guard, so a caller outside the org still gets the guard's 404, and before the request is
 * handled. The token is spent whatever the write then answers: refused writes cost as much to serve. The sign-in routes
 * ({@code /v1/auth/*}), which take no bearer token, have their own limits.
 */
public class WriteRateLimitFilter {

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final String NO_ORG = "-";

    private final RateLimiter limiter;
    private final RateLimiter.Limit limit;
    private final CurrentIdentityAssociation identity;

    public WriteRateLimitFilter(RateLimiter limiter, RateLimitConfig config, CurrentIdentityAssociation identity) {
        this.limiter = limiter;
        this.limit = new RateLimiter.Limit("writes", config.writes().requests(), config.writes().period(),
                "writes per user in an organization");
        this.identity = identity;
    }

    /** Whether a request (or an operation of the contract) with this method and path is a write this limit counts. */
    static boolean limited(String method, String path) {
        return WRITES.contains(method) && path.startsWith("/v1/") && !path.startsWith("/v1/auth/");
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION + 100)
    public Uni<Void> limit(ContainerRequestContext request) {
        if (!limited(request.getMethod(), request.getUriInfo().getPath())) {
            return Uni.createFrom().voidItem();
        }
        return identity.getDeferredIdentity().chain(caller -> {
            if (caller.isAnonymous()) {
                return Uni.createFrom().voidItem(); // the route itself answers 401
            }
            String orgId = request.getUriInfo().getPathParameters().getFirst(OrgAccessFilter.ORG_ID_PARAM);
            // the guard has checked it is a UUID wherever it is in the path
            String org = orgId == null || orgId.length() != 36 ? NO_ORG : orgId;
            return limiter.take(limit, caller.getPrincipal().getName() + "|" + org);
        });
    }
}
