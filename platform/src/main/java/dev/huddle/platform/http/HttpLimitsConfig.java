package dev.huddle.platform.http;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Request limits every service answers with a problem of its own (413, 414) before a request reaches a resource.
 * The body limit is Quarkus's {@code quarkus.http.limits.max-body-size}, read by {@link HttpLimits}.
 */
@ConfigMapping(prefix = "huddle.http")
public interface HttpLimitsConfig {

    /**
     * Longest request target (path and query) taken, in characters; longer ones get 414 {@code uri-too-long}.
     * Environment: {@code HUDDLE_HTTP_MAX_URI_LENGTH}. Must stay below
     * {@code quarkus.http.limits.max-initial-line-length}, above which Vert.x refuses the line without a problem
     * body.
     */
    @WithDefault("4096")
    int maxUriLength();

    /**
     * How much of a body over the limit is read and thrown away before the 413 is sent, so that a client which
     * writes its whole body before reading the answer gets it; a larger body has its connection closed after the
     * 413. Environment: {@code HUDDLE_HTTP_MAX_DISCARDED_BODY}.
     */
    @WithDefault("16M")
    io.quarkus.runtime.configuration.MemorySize maxDiscardedBody();
}
