package dev.huddle.realtime.tokens;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import dev.huddle.platform.problem.ProblemException;
import dev.huddle.realtime.config.CentrifugoConfig;
import dev.huddle.realtime.config.RealtimeConfig;
import io.quarkus.runtime.Startup;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.build.JwtSignatureBuilder;
import io.smallrye.jwt.util.KeyUtils;

/**
 * Centrifugo connection tokens: {@code sub} = our user id, {@code iat}, {@code exp}; nothing else, so nothing secret
 * reaches clients and no channel is granted by the token (every org and room subscription goes through the subscribe
 * proxy, which checks the membership at that moment). Signed HS256 with {@code CENTRIFUGO_TOKEN_HMAC_SECRET}, or RS256 with
 * {@code CENTRIFUGO_TOKEN_RSA_PRIVATE_KEY}; created at start-up, so a key that cannot be read (or both set) stops the
 * service with the reason instead of failing requests later.
 */
@Startup
@ApplicationScoped
public class TokenService {

    private final RealtimeConfig.Tokens config;
    /** HS256 key, or null. */
    private final SecretKeySpec secret;
    /** RS256 key, or null. */
    private final PrivateKey rsaKey;

    public TokenService(CentrifugoConfig centrifugo, RealtimeConfig config) {
        this.config = config.tokens();
        Optional<String> hmac = centrifugo.tokenHmacSecret().filter(s -> !s.isBlank());
        Optional<String> rsa = centrifugo.tokenRsaPrivateKey().filter(s -> !s.isBlank());
        if (hmac.isPresent() && rsa.isPresent()) {
            throw new IllegalStateException(
                    "set CENTRIFUGO_TOKEN_HMAC_SECRET or CENTRIFUGO_TOKEN_RSA_PRIVATE_KEY, not both");
        }
        this.secret = hmac.map(h -> new SecretKeySpec(h.getBytes(StandardCharsets.UTF_8), "HmacSHA256")).orElse(null);
        this.rsaKey = rsa.map(TokenService::rsaKey).orElse(null);
    }

    private static PrivateKey rsaKey(String pem) {
        try {
            PrivateKey key = KeyUtils.decodePrivateKey(pem, SignatureAlgorithm.RS256);
            if (key == null) {
                throw new GeneralSecurityException("no key in it");
            }
            return key;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "CENTRIFUGO_TOKEN_RSA_PRIVATE_KEY is not a PKCS#8 PEM RSA private key: " + e.getMessage());
        }
    }

    public TokenResponse connectionToken(UUID userId) {
        return sign(Jwt.subject(userId.toString()));
    }

    private TokenResponse sign(JwtClaimsBuilder claims) {
        requireKey();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(config.ttl());
        JwtSignatureBuilder jws = claims.issuedAt(now).expiresAt(expires).jws();
        String token = rsaKey != null
                ? jws.algorithm(SignatureAlgorithm.RS256).sign(rsaKey)
                : jws.algorithm(SignatureAlgorithm.HS256).sign(secret);
        return new TokenResponse(token, OffsetDateTime.ofInstant(expires, ZoneOffset.UTC));
    }

    private void requireKey() {
        if (secret == null && rsaKey == null) {
            throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "not-configured",
                    "realtime connections are not configured on this server");
        }
    }
}
