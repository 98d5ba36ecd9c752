package dev.huddle.core.presence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import livekit.LivekitModels;
import livekit.LivekitWebhook.WebhookEvent;

/**
 * What a LiveKit participant webhook says about one participant session.
 *
 * @param state {@code JOINED} for {@code participant_joined}; {@code LEFT} for {@code participant_left} and
 *        {@code participant_connection_aborted}
 * @param roomName the LiveKit room name
 * @param sid the participant sid ({@code PA_...}), the session's key
 * @param identity the LiveKit identity: the WorkOS user id the join token was issued to
 * @param joinedAt when the participant joined, as LiveKit says (else the event's time)
 * @param at the event's {@code createdAt} (one-second resolution)
 */
public record ParticipantEvent(PresenceState state, String roomName, String sid, String identity,
        OffsetDateTime joinedAt, OffsetDateTime at) {

    /**
     * The participant session a participant event is about; empty when it names no room or no participant.
     */
    public static Optional<ParticipantEvent> of(WebhookEvent event, PresenceState state) {
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
