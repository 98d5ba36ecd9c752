package dev.huddle.testing;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.ValidatableResponse;

/**
 * LiveKit's reference webhook bodies and their delivery. The bodies are {@code livekit/<name>.json} on the class path,
 * byte-for-byte copies of shared/reference/livekit/*.json (encoded by LiveKit's own protobuf library: lowerCamelCase,
 * int64 as strings, zero values omitted); each service's fixtures substitute ids and names in them. Deliveries are
 * sent as LiveKit sends them: raw bytes as {@code application/webhook+json} (no charset appended), the signature
 * ({@link LiveKitSigner}) raw in {@code Authorization}. Needs rest-assured on the test class path to deliver.
 */
public final class LiveKitSamples {

    public static final String CONTENT_TYPE = "application/webhook+json";

    private static final RestAssuredConfig RAW = RestAssuredConfig.config()
            .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    private LiveKitSamples() {
    }

    /** The reference body {@code name} (e.g. {@code egress_started}), as LiveKit sends it. */
    public static String reference(String name) {
        String resource = "livekit/" + name + ".json";
        try (InputStream in = LiveKitSamples.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no LiveKit reference body " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new LiveKit-style id: {@code prefix} and 12 random hex digits ({@code EV_}, {@code PA_}, {@code EG_}). */
    public static String id(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** A new webhook event id. */
    public static String eventId() {
        return id("EV_");
    }

    /** POSTs {@code body} to {@code path} as LiveKit does, with {@code authorization} unless it is null. */
    public static ValidatableResponse deliver(String path, String body, String authorization) {
        var request = given().config(RAW).contentType(CONTENT_TYPE);
        if (authorization != null) {
            request = request.header("Authorization", authorization);
        }
        return request.body(body.getBytes(StandardCharsets.UTF_8)).when().post(path).then();
    }
}
