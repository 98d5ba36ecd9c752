package dev.huddle.core.presence;

import java.util.List;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import dev.huddle.platform.config.LiveKitConfig;
import io.livekit.server.AccessToken;
import io.livekit.server.RoomAdmin;
import io.livekit.server.RoomName;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitRoom.ListParticipantsResponse;

/**
 * LiveKit's RoomService over Twirp with JSON bodies ({@code POST <url>/twirp/livekit.RoomService/<Method>}),
 * authorized by a short server token (the SDK's {@link AccessToken}) with roomAdmin on the one room. Answers are
 * parsed into the SDK's protobuf classes. The SDK's own {@code RoomServiceClient} is not used: it is a blocking
 * OkHttp/Retrofit client, and the SDK's dependencies put two OkHttp major versions (4 and 5) on our classpath; this
 * client is non-blocking on Vert.x and needs neither.
 */
@ApplicationScoped
public class LiveKitRoomClient {

    private static final String LIST_PARTICIPANTS = "/twirp/livekit.RoomService/ListParticipants";
    private static final long TOKEN_TTL_MILLIS = 5 * 60 * 1000;

    /** LiveKit answered something other than a list or {@code not_found}; the room is left as it is. */
    public static class LiveKitApiException extends RuntimeException {

        public LiveKitApiException(String message) {
            super(message, null, false, false);
        }
    }

    private final LiveKitConfig config;
    private final PresenceConfig presence;
    private final WebClient web;

    public LiveKitRoomClient(Vertx vertx, LiveKitConfig config, PresenceConfig presence) {
        this.config = config;
        this.presence = presence;
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
     * The participants LiveKit has in the room now; empty when LiveKit does not know the room (Twirp
     * {@code not_found}: it finished, everyone left). Fails with {@link LiveKitApiException} on any other answer.
     */
    public Uni<Optional<List<ParticipantInfo>>> listParticipants(String roomName) {
        return web.postAbs(baseUrl() + LIST_PARTICIPANTS)
                .putHeader("Authorization", "Bearer " + serverToken(roomName))
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", "application/json")
                .timeout(presence.livekitTimeout().toMillis())
                .sendBuffer(Buffer.buffer(new JsonObject().put("room", roomName).encode()))
                .map(LiveKitRoomClient::participants);
    }

    private static Optional<List<ParticipantInfo>> participants(HttpResponse<Buffer> response) {
        String body = response.bodyAsString();
        if (response.statusCode() == 200) {
            try {
                ListParticipantsResponse.Builder list = ListParticipantsResponse.newBuilder();
                JsonFormat.parser().ignoringUnknownFields().merge(body == null ? "{}" : body, list);
                return Optional.of(list.getParticipantsList());
            } catch (InvalidProtocolBufferException e) {
                throw new LiveKitApiException("ListParticipants answered 200 with a body that is not a list");
            }
        }
        String code = twirpCode(body);
        // only a Twirp not_found means the room is gone; a bare 404 (a proxy, a wrong URL) proves nothing
        if ("not_found".equals(code)) {
            return Optional.empty();
        }
        throw new LiveKitApiException("ListParticipants answered " + response.statusCode()
                + (code == null ? "" : " " + code));
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

    private String serverToken(String roomName) {
        AccessToken token = new AccessToken(config.apiKey().orElseThrow(), config.apiSecret().orElseThrow());
        token.setTtl(TOKEN_TTL_MILLIS);
        token.addGrants(new RoomAdmin(true), new RoomName(roomName));
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
