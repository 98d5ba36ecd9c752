package dev.huddle.core.chat;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Chat in rooms. Bounds: {@link dev.huddle.core.config.ConfigBounds}. */
@ConfigMapping(prefix = "huddle.chat")
public interface ChatConfig {

    /** How fast one member may post in one org, counted in PostgreSQL so that every replica shares the count. */
    RateLimit rateLimit();

    interface RateLimit {

        /**
         * Messages a member may post in one org per {@link #period()}; also the burst allowed after a quiet
         * period. Environment: {@code HUDDLE_CHAT_RATE_LIMIT_MESSAGES}.
         */
        @WithDefault("20")
        int messages();

        /**
         * The period {@link #messages()} are counted over (the bucket refills evenly across it), e.g.
         * {@code PT10S}. Environment: {@code HUDDLE_CHAT_RATE_LIMIT_PERIOD}.
         */
        @WithDefault("PT10S")
        Duration period();
    }
}
