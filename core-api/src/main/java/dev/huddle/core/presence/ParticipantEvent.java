package dev.huddle.core.presence;

import java.time.OffsetDateTime;

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
}
