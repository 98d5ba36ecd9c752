package dev.huddle.core.ops;

import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;

/** Who may use core-api's operators' endpoints. */
@ConfigMapping(prefix = "huddle.ops")
public interface OpsConfig {

    /**
     * WorkOS user ids ({@code user_...}) allowed on {@code /v1/ops/...}; to anyone else those paths do not exist.
     * Environment: {@code HUDDLE_OPS_OPERATORS}.
     */
    Optional<Set<String>> operators();
}
