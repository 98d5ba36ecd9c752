package dev.huddle.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;

import io.livekit.server.AccessToken;

/**
 * Signs a webhook body as a LiveKit server does, with the SDK's own {@link AccessToken}: HS256 with the API secret,
 * {@code iss} = the API key, claim {@code sha256} = base64(SHA-256(raw body)); sent raw (no {@code Bearer}) as
 * {@code Authorization}. Needs {@code io.livekit:livekit-server} on the test class path.
 */
public final class LiveKitSigner {

    private LiveKitSigner() {
    }

    public static String sign(String body, String apiKey, String apiSecret, Duration ttl) {
        AccessToken token = new AccessToken(apiKey, apiSecret);
        token.setTtl(ttl.toMillis());
        token.setSha256(sha256(body));
        return token.toJwt();
    }

    public static String sha256(String body) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
