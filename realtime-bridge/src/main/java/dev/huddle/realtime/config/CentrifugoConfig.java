package dev.huddle.realtime.config;

import java.util.Optional;

import dev.huddle.platform.config.ExternalService;
import io.smallrye.config.ConfigMapping;

/** Centrifugo v6: its server HTTP API (publishing) and the key its connection tokens are signed with. */
@ConfigMapping(prefix = "huddle.centrifugo")
public interface CentrifugoConfig {

    /** Server API base, e.g. {@code http://centrifugo:8000/api}. Environment: {@code CENTRIFUGO_API_URL}. */
    Optional<String> apiUrl();

    /** Server API key ({@code X-API-Key}). Environment: {@code CENTRIFUGO_API_KEY}. */
    Optional<String> apiKey();

    /** HMAC secret of connection tokens (HS256). Environment: {@code CENTRIFUGO_TOKEN_HMAC_SECRET}. */
    Optional<String> tokenHmacSecret();

    /**
     * RSA private key (PKCS#8 PEM) to sign tokens with RS256 instead; Centrifugo then has the public half
     * ({@code client.token.rsa_public_key}). Set this or the HMAC secret, not both. Environment:
     * {@code CENTRIFUGO_TOKEN_RSA_PRIVATE_KEY}.
     */
    Optional<String> tokenRsaPrivateKey();

    default ExternalService asExternalService() {
        Optional<String> signingKey = tokenHmacSecret().filter(s -> !s.isBlank())
                .or(() -> tokenRsaPrivateKey().filter(s -> !s.isBlank()));
        return ExternalService.of("Centrifugo", "outbox rows wait unpublished and connection tokens are refused",
                "CENTRIFUGO_API_URL", apiUrl(), "CENTRIFUGO_API_KEY", apiKey(),
                "CENTRIFUGO_TOKEN_HMAC_SECRET or CENTRIFUGO_TOKEN_RSA_PRIVATE_KEY", signingKey);
    }
}
