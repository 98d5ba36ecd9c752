package dev.huddle.realtime.tokens;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import dev.huddle.platform.problem.ProblemException;
import dev.huddle.realtime.channels.ChannelAccess;
import dev.huddle.realtime.config.CentrifugoConfig;
import dev.huddle.realtime.config.RealtimeConfig;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.mutiny.Uni;

/**
 * Centrifugo tokens, HS256 with {@code CENTRIFUGO_TOKEN_HMAC_SECRET}: connection tokens ({@code sub} = our user id,
 * {@code iat}, {@code exp}; nothing else, so nothing secret reaches clients) and subscription tokens ({@code sub},
 * {@code channel}, {@code exp}) for channels the caller may subscribe to.
 */
@ApplicationScoped
public class TokenService {

    private final CentrifugoConfig centrifugo;
    private final RealtimeConfig.Tokens config;
    private final ChannelAccess access;

    public TokenService(CentrifugoConfig centrifugo, RealtimeConfig config, ChannelAccess access) {
        this.centrifugo = centrifugo;
        this.config = config.tokens();
        this.access = access;
    }

    public TokenResponse connectionToken(UUID userId) {
        return sign(Jwt.subject(userId.toString()));
    }

    public Uni<TokenResponse> subscriptionToken(UUID userId, String channel) {
        secret(); // 503 before anything else when not configured
        return access.maySubscribe(userId, channel).map(allowed -> {
            if (!allowed) {
                throw ProblemException.forbidden("you may not subscribe to this channel");
            }
            return sign(Jwt.subject(userId.toString()).claim("channel", channel));
        });
    }

    private TokenResponse sign(JwtClaimsBuilder claims) {
        SecretKeySpec key = secret();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(config.ttl());
        String token = claims.issuedAt(now).expiresAt(expires)
                .jws().algorithm(SignatureAlgorithm.HS256).sign(key);
        return new TokenResponse(token, OffsetDateTime.ofInstant(expires, ZoneOffset.UTC));
    }

    private SecretKeySpec secret() {
        String secret = centrifugo.tokenHmacSecret().filter(s -> !s.isBlank())
                .orElseThrow(() -> new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "not-configured",
                        "realtime connections are not configured on this server"));
        return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }
}
