package dev.huddle.core.chat;

import jakarta.validation.constraints.NotBlank;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "MessageEdit", description = "The new body of a message.")
public record EditMessageRequest(
        @NotBlank @Schema(description = "Trimmed, then 1 to 4000 characters (Unicode code points)", minLength = 1, maxLength = 4000, examples = "Standup moved to 11:00") String body) {
}
