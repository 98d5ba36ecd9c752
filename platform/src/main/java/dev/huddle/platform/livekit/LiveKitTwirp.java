package dev.huddle.platform.livekit;

import java.time.Duration;
import java.util.Optional;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import dev.huddle.platform.config.LiveKitConfig;
import io.livekit.server.AccessToken;
import io.livekit.server.VideoGrant;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * LiveKit's server API over Twirp with JSON bodies ({@code POST <url>/twirp/<service>/<Method>}), authorized by a
 * short server token (the SDK's {@link AccessToken}) with the grants a call needs; answers are parsed into the SDK's
 * protobuf classes. The SDK's own service clients are not used: they are blocking OkHttp/Retrofit clients, and the
 * SDK's dependencies put two OkHttp major versions (4 and 5) on our classpath; this one is non-blocking on Vert.x and
 * needs neither. A plain class (services without LiveKit never load it); each client owns one and closes it.
 */
public final class LiveKitTwirp implements AutoCloseable {

    private static final long TOKEN_TTL_MILLIS = 5 * 60 * 1000;

    /** LiveKit answered something other than the answer or Twirp {@code not_found}: nothing can be concluded. */
    public static class LiveKitApiException extends RuntimeException {

        public LiveKitApiException(String message) {
            super(message, null, false, false);
        }
    }

    private final LiveKitConfig config;
    private final WebClient web;

    public LiveKitTwirp(Vertx vertx, LiveKitConfig config) {
        this.config = config;
        this.web = WebClient.create(vertx);
    }

    @Override
    public void close() {
        web.close();
    }

    /** Whether URL, API key and secret are all set. */
    public boolean configured() {
        return config.asExternalService("").configured();
    }

    /**
     * Calls {@code method} (e.g. {@code livekit.Egress/ListEgress}) with {@code request} and merges a 200 answer into
     * {@code answer}; empty on Twirp {@code not_found} (only that: a bare 404 from a proxy or a wrong URL proves
     * nothing). Fails with {@link LiveKitApiException} on any other answer, and with the client's exception when
     * LiveKit cannot be reached.
     */
    public <B extends Message.Builder> Uni<Optional<B>> call(String method, JsonObject request, Duration timeout,
            B answer, VideoGrant... grants) {
        return web.postAbs(baseUrl() + "/twirp/" + method)
                .putHeader("Authorization", "Bearer " + serverToken(grants))
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", "application/json")
                .timeout(timeout.toMillis())
                .sendBuffer(Buffer.buffer(request.encode()))
                .map(response -> answer(method, response, answer));
    }

    private static <B extends Message.Builder> Optional<B> answer(String method, HttpResponse<Buffer> response,
            B answer) {
        String body = response.bodyAsString();
        if (response.statusCode() == 200) {
            try {
                JsonFormat.parser().ignoringUnknownFields().merge(body == null ? "{}" : body, answer);
                return Optional.of(answer);
            } catch (InvalidProtocolBufferException e) {
                throw new LiveKitApiException(method + " answered 200 with a body it does not answer");
            }
        }
        String code = twirpCode(body);
        if ("not_found".equals(code)) {
            return Optional.empty();
        }
        throw new LiveKitApiException(method + " answered " + response.statusCode() + (code == null ? "" : " " + code));
    }

    private static String twirpCode(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return new JsonObject(body).getString("code");
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    private String serverToken(VideoGrant... grants) {
        AccessToken token = new AccessToken(config.apiKey().orElseThrow(), config.apiSecret().orElseThrow());
        token.setTtl(TOKEN_TTL_MILLIS);
        token.addGrants(grants);
        return token.toJwt();
    }

    /** LIVEKIT_URL is often the client's WebSocket URL ({@code wss://...}); the API is on the same host over HTTP. */
    private String baseUrl() {
        String url = config.url().orElseThrow().strip();
        if (url.startsWith("wss://")) {
            url = "https://" + url.substring("wss://".length());
        } else if (url.startsWith("ws://")) {
            url = "http://" + url.substring("ws://".length());
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
