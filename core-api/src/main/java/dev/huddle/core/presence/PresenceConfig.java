package dev.huddle.core.presence;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Room presence: how LiveKit's view is reconciled and how long leave tombstones are kept. */
@ConfigMapping(prefix = "huddle.presence")
public interface PresenceConfig {

    /**
     * How often each replica tries to reconcile presence with LiveKit (only one runs at a time). Environment:
     * {@code HUDDLE_PRESENCE_RECONCILE_INTERVAL}.
     */
    @WithDefault("30s")
    Duration reconcileInterval();

    /**
     * Whether the scheduled reconcile runs at all (it is also skipped while LiveKit is not configured). Environment:
     * {@code HUDDLE_PRESENCE_RECONCILE_ENABLED}.
     */
    @WithDefault("true")
    boolean reconcileEnabled();

    /**
     * How long a 'left' row is kept before the reconcile job deletes it. While it exists, a join for the same
     * participant delivered late is recognised as stale; keep it well beyond LiveKit's webhook retries. Environment:
     * {@code HUDDLE_PRESENCE_LEFT_RETENTION}.
     */
    @WithDefault("24h")
    Duration leftRetention();

    /** Timeout of one LiveKit API call (ListRooms, ListParticipants). Environment: {@code HUDDLE_PRESENCE_LIVEKIT_TIMEOUT}. */
    @WithDefault("10s")
    Duration livekitTimeout();
}
