package dev.huddle.core.presence;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to a LiveKit webhook LiveKit ignores (only the 2xx counts), for logs and tests. */
@Schema(name = "LiveKitWebhookAck", description = "What a verified LiveKit webhook did to room presence.")
public record WebhookAck(
        @Schema(description = "The LiveKit event", examples = "participant_joined") String event,
        @Schema(description = "applied: a participant's state changed and was announced; recorded: a leave for a "
                + "participant never seen joining, kept as a tombstone; unchanged: a duplicate or an older event; "
                + "ignored: not about room presence, or about a room that is not ours", examples = "applied", enumeration = {
                        "applied", "recorded", "unchanged", "ignored" }) String outcome){
}
