package dev.huddle.platform.ops;

import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;

/** Who may use a service's operators' endpoints ({@code /v1/ops/...}, {@code /v1/billing/ops/...}). */
@ConfigMapping(prefix = "huddle.ops")
public interface OpsConfig {

    /**
     * WorkOS user ids ({@code user_...}) allowed on the operators' endpoints; org roles do not count, and to anyone
     * else those paths do not exist. Environment: {@code HUDDLE_OPS_OPERATORS}.
     */
    Optional<Set<String>> operators();
}
