package dev.huddle.realtime.proxy;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import dev.huddle.platform.problem.Problem;
import dev.huddle.platform.problem.ProblemException;
import dev.huddle.realtime.channels.ChannelAccess;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Centrifugo's subscribe proxy, the only way into org and room channels (we issue no subscription tokens, which
 * would skip it). <b>In-cluster only</b>: Centrifugo calls it for every client subscription (not for {@code #}
 * user-limited channels, which it checks itself); there is no bearer token, the gateway must not route
 * {@code /centrifugo/}, and the request must carry {@code CENTRIFUGO_PROXY_SECRET} in
 * {@code X-Centrifugo-Proxy-Secret} (Centrifugo's proxy static headers): without it, HTTP 403 (problem+json).
 * <p>
 * Centrifugo's caller gets HTTP 200 in Centrifugo's proxy format: {@code {"result": {}}} allows,
 * {@code {"error": {"code": 403}}} refuses, {@code {"error": {"code": 400}}} for a request that cannot be read.
 * Never a 5xx for bad input.
 */
@Path("/centrifugo")
@Tag(name = "Centrifugo proxy (in-cluster)")
public class SubscribeProxyResource {

    private static final Logger LOG = Logger.getLogger(SubscribeProxyResource.class);
    static final String SECRET_HEADER = "X-Centrifugo-Proxy-Secret";

    private static final JsonObject ALLOW = new JsonObject().put("result", new JsonObject());

    private final ChannelAccess access;
    private final ProxySecret secret;

    public SubscribeProxyResource(ChannelAccess access, ProxySecret secret) {
        this.access = access;
        this.secret = secret;
    }

    @POST
    @Path("/subscribe")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Centrifugo subscribe proxy (in-cluster, no bearer token): may this user subscribe?")
    @APIResponse(responseCode = "200", description = "Centrifugo's proxy answer: {\"result\": {}} allows, {\"error\": {\"code\": 403}} refuses", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "403", description = "The request does not carry the proxy secret (X-Centrifugo-Proxy-Secret)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<String> subscribe(@HeaderParam(SECRET_HEADER) String presentedSecret, String body) {
        if (!secret.accepts(presentedSecret)) {
            throw ProblemException.forbidden("only Centrifugo may call the subscribe proxy");
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

    private static JsonObject refuse() {
        return error(403, "permission denied");
    }

    private static JsonObject error(int code, String message) {
        return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message));
    }
}
