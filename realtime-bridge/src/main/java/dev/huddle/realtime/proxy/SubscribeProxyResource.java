package dev.huddle.realtime.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import dev.huddle.realtime.channels.ChannelAccess;
import dev.huddle.realtime.config.RealtimeConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Centrifugo's subscribe proxy. <b>In-cluster only</b>: Centrifugo calls it for every client subscription that
 * carries no subscription token (and not for {@code #} user-limited channels, which it checks itself); there is
 * no bearer token, the gateway must not route {@code /centrifugo/}, and when {@code CENTRIFUGO_PROXY_SECRET} is
 * set the request must carry it in {@code X-Centrifugo-Proxy-Secret} (Centrifugo's proxy static headers).
 * <p>
 * Always HTTP 200 in Centrifugo's proxy format: {@code {"result": {}}} allows, {@code {"error": {"code": 403}}}
 * refuses, {@code {"error": {"code": 400}}} for a request that cannot be read. Never a 5xx for bad input.
 */
@Path("/centrifugo")
@Tag(name = "Centrifugo proxy (in-cluster)")
public class SubscribeProxyResource {

    private static final Logger LOG = Logger.getLogger(SubscribeProxyResource.class);
    static final String SECRET_HEADER = "X-Centrifugo-Proxy-Secret";

    private static final JsonObject ALLOW = new JsonObject().put("result", new JsonObject());

    private final ChannelAccess access;
    private final Optional<String> secret;

    public SubscribeProxyResource(ChannelAccess access, RealtimeConfig config) {
        this.access = access;
        this.secret = config.proxy().secret().filter(s -> !s.isBlank());
    }

    @POST
    @Path("/subscribe")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Centrifugo subscribe proxy (in-cluster, no bearer token): may this user subscribe?")
    public Uni<String> subscribe(@HeaderParam(SECRET_HEADER) String presentedSecret, String body) {
        if (secret.isPresent() && !matches(secret.get(), presentedSecret)) {
            return Uni.createFrom().item(refuse().encode());
        }
        JsonObject request;
        try {
            request = body == null || body.isBlank() ? null : new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            request = null;
        }
        if (request == null || !(request.getValue("channel") instanceof String channel) || channel.isBlank()
                || (request.getValue("user") != null && !(request.getValue("user") instanceof String))) {
            return Uni.createFrom().item(error(400, "bad request").encode());
        }
        String user = request.getString("user");
        return access.maySubscribe(ChannelAccess.parse(user), channel)
                .map(allowed -> (allowed ? ALLOW : refuse()).encode())
                .onFailure().recoverWithItem(e -> {
                    // a database failure is ours, not the client's: a temporary error the client retries
                    LOG.warnf("subscribe proxy check failed: %s", e.toString());
                    JsonObject temporary = error(1000, "try again later");
                    temporary.getJsonObject("error").put("temporary", true);
                    return temporary.encode();
                });
    }

    private static boolean matches(String expected, String presented) {
        return presented != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonObject refuse() {
        return error(403, "permission denied");
    }

    private static JsonObject error(int code, String message) {
        return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message));
    }
}
