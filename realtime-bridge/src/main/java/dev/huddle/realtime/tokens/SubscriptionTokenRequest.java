package dev.huddle.realtime.tokens;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "SubscriptionTokenRequest")
public record SubscriptionTokenRequest(
        @NotBlank @Size(max = 255) @Schema(examples = "room:0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e") String channel) {
}
