package dev.huddle.platform.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** LiveKit, for the services that take its webhooks (core-api: rooms; recordings-service: egress). */
@ConfigMapping(prefix = "huddle.livekit")
public interface LiveKitConfig {

    /** Server URL, for RoomService and Egress API calls. Environment: {@code LIVEKIT_URL}. */
    Optional<String> url();

    /** API key: the {@code iss} of webhook tokens. Environment: {@code LIVEKIT_API_KEY}. */
    Optional<String> apiKey();

    /** API secret: signs webhooks (HS256) and server tokens. Environment: {@code LIVEKIT_API_SECRET}. */
    Optional<String> apiSecret();

    default ExternalService asExternalService(String without) {
        return ExternalService.of("LiveKit", without, "LIVEKIT_URL", url(), "LIVEKIT_API_KEY", apiKey(),
                "LIVEKIT_API_SECRET", apiSecret());
    }
}
