package dev.huddle.core.auth;

import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.core.ratelimit.RateLimitConfig;
import dev.huddle.core.ratelimit.RateLimiter;
import io.smallrye.mutiny.Uni;

/**
 * The rate limits of the sign-in routes that reach WorkOS or end sessions ({@code /v1/auth/callback},
 * {@code /refresh}, {@code /logout}), {@code huddle.rate-limits.sign-in.*}: one bucket per client address, shared
 * by the three routes, and one per credential (a sign-in state, a refresh token), each spent before anything else is
 * done with the request. The client address is the TCP peer's, or the one a trusted proxy forwarded when
 * {@code quarkus.http.proxy.*} trusts the gateway.
 */
@ApplicationScoped
public class SignInLimits {

    private final RateLimiter limiter;
    private final RateLimiter.Limit perAddress;
    private final RateLimiter.Limit perCredential;

    public SignInLimits(RateLimiter limiter, RateLimitConfig config) {
        this.limiter = limiter;
        this.perAddress = new RateLimiter.Limit("sign-in-address", config.signIn().perAddress(), config.signIn().period(),
                "sign-in calls from one client address");
        this.perCredential = new RateLimiter.Limit("sign-in-credential", config.signIn().perCredential(),
                config.signIn().period(), "sign-in calls with one sign-in state or refresh token");
    }

    /**
     * Takes a token from the address's bucket, then from the credential's ({@code null}: none was presented).
     *
     * @throws dev.huddle.platform.problem.ProblemException 429 with Retry-After over either limit
     */
    Uni<Void> take(String clientAddress, String credential) {
        Uni<Void> address = limiter.take(perAddress, clientAddress);
        return credential == null ? address : address.chain(() -> limiter.take(perCredential, credential));
    }
}
