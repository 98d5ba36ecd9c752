package dev.huddle.core.presence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.huddle.platform.config.LiveKitConfig;
import dev.huddle.platform.problem.ProblemException;
import io.livekit.server.WebhookReceiver;
import livekit.LivekitModels;
import livekit.LivekitWebhook.WebhookEvent;

/**
 * Verifies LiveKit webhooks with the SDK's {@link WebhookReceiver}: the {@code Authorization} header is a JWT
 * (no {@code Bearer}) signed HS256 with the API secret, issued by the API key, whose {@code sha256} claim is the
 * base64 SHA-256 of the raw body. Only the API key and secret are needed; the URL is for the reconcile job.
 */
@ApplicationScoped
public class LiveKitWebhooks {

    private static final Logger LOG = Logger.getLogger(LiveKitWebhooks.class);

    private final Optional<WebhookReceiver> receiver;

    public LiveKitWebhooks(LiveKitConfig config) {
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

    /**
     * The participant session a participant event is about; empty when it names no room or no participant.
     */
    public static Optional<ParticipantEvent> participantEvent(WebhookEvent event, PresenceState state) {
        if (!event.hasRoom() || !event.hasParticipant() || event.getRoom().getName().isEmpty()
                || event.getParticipant().getSid().isEmpty()) {
            return Optional.empty();
        }
        LivekitModels.ParticipantInfo participant = event.getParticipant();
        OffsetDateTime at = createdAt(event);
        OffsetDateTime joinedAt = participant.getJoinedAt() > 0 ? seconds(participant.getJoinedAt()) : at;
        return Optional.of(new ParticipantEvent(state, event.getRoom().getName(), participant.getSid(),
                participant.getIdentity(), joinedAt, at));
    }

    /** The event's {@code createdAt} (seconds); now when it is missing (protojson omits a zero). */
    public static OffsetDateTime createdAt(WebhookEvent event) {
        return event.getCreatedAt() > 0 ? seconds(event.getCreatedAt())
                : OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    private static OffsetDateTime seconds(long epochSeconds) {
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(Response.Status.UNAUTHORIZED, "unauthorized", detail);
    }
}
