package dev.huddle.platform.livekit;

import java.util.Optional;

import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.huddle.platform.config.LiveKitConfig;
import dev.huddle.platform.problem.ProblemException;
import io.livekit.server.WebhookReceiver;
import livekit.LivekitWebhook.WebhookEvent;

/**
 * Verifies LiveKit webhooks with the SDK's {@link WebhookReceiver}: the {@code Authorization} header is a JWT
 * (no {@code Bearer}) signed HS256 with the API secret, issued by the API key, whose {@code sha256} claim is the
 * base64 SHA-256 of the raw body. Shared by the services that take LiveKit webhooks (core-api: rooms,
 * recordings-service: egress), which depend on {@code io.livekit:livekit-server} themselves; a plain class, not a
 * bean, so services without LiveKit never load it.
 */
public final class LiveKitWebhookVerifier {

    private static final Logger LOG = Logger.getLogger(LiveKitWebhookVerifier.class);

    private final Optional<WebhookReceiver> receiver;

    public LiveKitWebhookVerifier(LiveKitConfig config) {
        this.receiver = config.apiKey().filter(k -> !k.isBlank())
                .flatMap(key -> config.apiSecret().filter(s -> !s.isBlank()).map(secret -> new WebhookReceiver(key, secret)));
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
