package dev.huddle.recordings.recordings;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Recording", description = "A recording of a room, owned by the org. Its room may have been "
        + "deleted since (roomId null).")
public record Recording(
        UUID id,
        @Schema(nullable = true) UUID roomId,
        @Schema(enumeration = {
                "recording", "finalizing", "ready", "failed" }, examples = "ready") String status,
        @Schema(nullable = true) Long sizeBytes,
        @Schema(nullable = true) Long durationMs,
        @Schema(nullable = true) OffsetDateTime startedAt,
        @Schema(nullable = true) OffsetDateTime endedAt,
        @Schema(nullable = true, description = "Why it failed") String error,
        OffsetDateTime createdAt){
}
