package dev.huddle.recordings.egress;

import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import dev.huddle.platform.config.LiveKitConfig;
import dev.huddle.recordings.config.RecordingsConfig;
import io.livekit.server.AccessToken;
import io.livekit.server.RoomRecord;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import livekit.LivekitEgress.EgressInfo;
import livekit.LivekitEgress.ListEgressResponse;

/**
 * LiveKit's Egress service over Twirp with JSON bodies ({@code POST <url>/twirp/livekit.Egress/ListEgress}),
 * authorized by a short server token (the SDK's {@link AccessToken}) with {@code roomRecord}, the grant every Egress
 * call needs. Answers are parsed into the SDK's protobuf classes. Like core-api's LiveKitRoomClient, and for the same
 * reasons, not the SDK's blocking OkHttp/Retrofit {@code EgressServiceClient}.
 */
@ApplicationScoped
public class LiveKitEgressClient {

    private static final String LIST_EGRESS = "/twirp/livekit.Egress/ListEgress";
    private static final long TOKEN_TTL_MILLIS = 5 * 60 * 1000;

    /** LiveKit answered something other than a list or {@code not_found}: nothing can be concluded. */
    public static class LiveKitApiException extends RuntimeException {

        public LiveKitApiException(String message) {
            super(message, null, false, false);
        }
    }

    private final LiveKitConfig config;
    private final RecordingsConfig recordings;
    private final WebClient web;

    public LiveKitEgressClient(Vertx vertx, LiveKitConfig config, RecordingsConfig recordings) {
        this.config = config;
        this.recordings = recordings;
        this.web = WebClient.create(vertx);
    }

    @PreDestroy
    void close() {
        web.close();
    }

    /** Whether URL, API key and secret are all set. */
    public boolean configured() {
        return config.asExternalService("").configured();
    }

    /**
     * What LiveKit knows of the egress now; empty when it does not know it (Twirp {@code not_found}: it never existed
     * or LiveKit no longer keeps it). Fails with {@link LiveKitApiException} on any other answer, and with the
     * client's exception when LiveKit cannot be reached.
     */
    public Uni<Optional<EgressInfo>> egress(String egressId) {
        return web.postAbs(baseUrl() + LIST_EGRESS)
                .putHeader("Authorization", "Bearer " + serverToken())
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", "application/json")
                .timeout(recordings.jobs().livekitTimeout().toMillis())
                .sendBuffer(Buffer.buffer(new JsonObject().put("egressId", egressId).encode()))
                .map(response -> egress(egressId, response));
    }

    private static Optional<EgressInfo> egress(String egressId, HttpResponse<Buffer> response) {
        String body = response.bodyAsString();
        if (response.statusCode() == 200) {
            ListEgressResponse.Builder list = ListEgressResponse.newBuilder();
            try {
                JsonFormat.parser().ignoringUnknownFields().merge(body == null ? "{}" : body, list);
            } catch (InvalidProtocolBufferException e) {
                throw new LiveKitApiException("ListEgress answered 200 with a body that is not a list");
            }
            return list.getItemsList().stream().filter(info -> egressId.equals(info.getEgressId())).findFirst();
        }
        String code = twirpCode(body);
        // only a Twirp not_found means LiveKit does not know the egress; a bare 404 (a proxy, a wrong URL) proves
        // nothing
        if ("not_found".equals(code)) {
            return Optional.empty();
        }
        throw new LiveKitApiException("ListEgress answered " + response.statusCode() + (code == null ? "" : " " + code));
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

    private String serverToken() {
        AccessToken token = new AccessToken(config.apiKey().orElseThrow(), config.apiSecret().orElseThrow());
        token.setTtl(TOKEN_TTL_MILLIS);
        token.addGrants(new RoomRecord(true));
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
