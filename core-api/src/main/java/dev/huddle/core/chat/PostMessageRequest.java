package dev.huddle.core.chat;

import java.util.UUID;

import jakarta.validation.constraints.NotBlank;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "NewMessage", description = "A message to post: top-level, or a reply when parentId is set.")
public record PostMessageRequest(
        @NotBlank @Schema(description = "Trimmed, then 1 to 4000 characters (Unicode code points)", minLength = 1, maxLength = 4000, examples = "Standup moved to 10:30") String body,
        @Schema(nullable = true, description = "Reply in the thread of this top-level message of the same room. "
                + "A reply cannot have replies: threads are one level deep.", examples = "5f0c8a9e-3b1d-4c2e-9f8a-7b6c5d4e3f2a") UUID parentId) {
}
