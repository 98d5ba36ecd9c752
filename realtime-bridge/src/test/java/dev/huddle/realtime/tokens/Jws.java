package dev.huddle.realtime.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.vertx.core.json.JsonObject;

/** A compact JWS split into its parts, so a test can check the signature its own way and read the claims. */
public record Jws(JsonObject header, JsonObject claims, byte[] signingInput, byte[] signature) {

    public static Jws parse(String token) {
        String[] parts = token.split("\\.");
        assertEquals(3, parts.length, "a compact JWS has three parts");
        Base64.Decoder base64 = Base64.getUrlDecoder();
        return new Jws(new JsonObject(new String(base64.decode(parts[0]), StandardCharsets.UTF_8)),
                new JsonObject(new String(base64.decode(parts[1]), StandardCharsets.UTF_8)),
                (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), base64.decode(parts[2]));
    }
}
