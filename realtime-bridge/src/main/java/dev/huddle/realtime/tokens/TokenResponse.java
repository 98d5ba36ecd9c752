package dev.huddle.realtime.tokens;

import java.time.OffsetDateTime;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "CentrifugoToken", description = "A Centrifugo JWT (HS256) and when it expires.")
public record TokenResponse(String token, OffsetDateTime expiresAt) {
}
