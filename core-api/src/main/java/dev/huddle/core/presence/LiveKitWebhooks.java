package dev.huddle.core.presence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.platform.config.LiveKitConfig;
import dev.huddle.platform.livekit.LiveKitWebhookVerifier;
import livekit.LivekitModels;
import livekit.LivekitWebhook.WebhookEvent;

/**
 * LiveKit's room webhooks: verified by the platform's {@link LiveKitWebhookVerifier} (only the API key and secret
 * are needed; the URL is for the reconcile job), and read into participant events.
 */
@ApplicationScoped
public class LiveKitWebhooks {

    private final LiveKitWebhookVerifier verifier;

    public LiveKitWebhooks(LiveKitConfig config) {
        this.verifier = new LiveKitWebhookVerifier(config);
    }

    /** The event, once verified: see {@link LiveKitWebhookVerifier#verify}. */
    public WebhookEvent verify(String body, String authorization) {
        return verifier.verify(body, authorization);
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
}
