package dev.huddle.platform.db;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The reactive pool's two waits that Quarkus has no property for (the connection budget, README: Deploying).
 * {@link TimedPoolCreator} applies them.
 */
@ConfigMapping(prefix = "huddle.datasource")
public interface DatabaseTimeouts {

    /**
     * Longest TCP connect to the database or its pooler (default: Vert.x's own). Environment:
     * {@code DB_CONNECT_TIMEOUT}.
     */
    @WithDefault("60s")
    Duration connectTimeout();

    /**
     * Longest wait for a pooled connection while all are in use; the operation then fails instead of queueing.
     * Default: Vert.x's own. Environment: {@code DB_POOL_ACQUIRE_TIMEOUT}.
     */
    @WithDefault("30s")
    Duration acquireTimeout();
}
