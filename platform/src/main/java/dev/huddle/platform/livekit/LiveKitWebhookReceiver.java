package dev.huddle.platform.livekit;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.huddle.platform.config.LiveKitConfig;
import dev.huddle.platform.problem.ProblemException;
import io.livekit.server.WebhookReceiver;
import io.smallrye.mutiny.Uni;
import livekit.LivekitWebhook.WebhookEvent;

/**
 * The one receiver of LiveKit webhooks, which each service that takes them (core-api: rooms, recordings-service:
 * egress) plugs its handler into. It verifies the request with the SDK's {@link WebhookReceiver}: the
 * {@code Authorization} header is a JWT (no {@code Bearer}) signed HS256 with the API secret, issued by the API key,
 * whose {@code sha256} claim is the base64 SHA-256 of the raw body, checked against the bytes as received (never
 * re-serialized JSON). Refusals are problems (503, 401, 400, see {@link #verify}); the body limit is every route's
 * ({@code HttpLimits}). A verified event goes to the service's handler, and its outcome comes back as the
 * acknowledgement {@code {"event", "outcome"}} (LiveKit only looks at the 2xx; the outcome is for logs and tests).
 * <p>
 * Only the API key and secret are needed; the URL is for the services' calls to LiveKit. The services depend on
 * {@code io.livekit:livekit-server} themselves; a plain class, not a bean, so services without LiveKit never load
 * it.
 */
public final class LiveKitWebhookReceiver {

    /** LiveKit's content type for webhooks. */
    public static final String WEBHOOK_JSON = "application/webhook+json";

    private static final Logger LOG = Logger.getLogger(LiveKitWebhookReceiver.class);

    private final Optional<WebhookReceiver> receiver;

    public LiveKitWebhookReceiver(LiveKitConfig config) {
        this.receiver = config.apiKey().filter(k -> !k.isBlank())
                .flatMap(key -> config.apiSecret().filter(s -> !s.isBlank()).map(secret -> new WebhookReceiver(key, secret)));
    }

    /**
     * Verifies the webhook, hands the event to the service's handler and acknowledges what it did.
     *
     * @param authorization the request's {@code Authorization} header, as received
     * @param body the raw body, as received
     * @param handler what the service does with a verified event; its outcome is acknowledged in lower case
     * @param ack the service's acknowledgement, from the event's type and the outcome
     * @throws ProblemException as {@link #verify} does, before the handler is called
     */
    public <A> Uni<A> receive(String authorization, byte[] body, Function<WebhookEvent, Uni<? extends Enum<?>>> handler,
            BiFunction<String, String, A> ack) {
        WebhookEvent event = verify(new String(body, StandardCharsets.UTF_8), authorization);
        return handler.apply(event).map(outcome -> ack.apply(event.getEvent(), outcome.name().toLowerCase(Locale.ROOT)));
    }

    /**
     * The event, once its signature and checksum are verified.
     *
     * @throws ProblemException 503 {@code not-configured} when LiveKit's key and secret are not set (nothing can be
     *         verified, so nothing is accepted); 401 {@code unauthorized} when the header is missing or the token or
     *         checksum does not verify; 400 {@code bad-request} when a correctly signed body is not an event
     */
    public WebhookEvent verify(String body, String authorization) {
        WebhookReceiver verifier = receiver.orElseThrow(() -> new ProblemException(Response.Status.SERVICE_UNAVAILABLE,
                "not-configured", "LiveKit is not configured on this server: its webhooks cannot be verified"));
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized("the Authorization header with LiveKit's webhook token is missing");
        }
        try {
            return verifier.receive(body, authorization);
        } catch (Exception e) {
            if (e instanceof InvalidProtocolBufferException) {
                throw ProblemException.badRequest("the body is not a LiveKit webhook event");
            }
            LOG.debugf("LiveKit webhook refused: %s", e.getMessage());
            throw unauthorized("the webhook token or the body checksum does not verify");
        }
    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(Response.Status.UNAUTHORIZED, "unauthorized", detail);
    }
}
