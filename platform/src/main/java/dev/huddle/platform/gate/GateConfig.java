package dev.huddle.platform.gate;

import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The subscription gate every service applies to its org-scoped routes (seed S1). */
@ConfigMapping(prefix = "huddle.subscription-gate")
public interface GateConfig {

    enum Mode {
        /** Ungated: the interim until Stripe is live. */
        OFF,
        /** Org-scoped routes of an org that is not entitled answer 402. */
        ENFORCE
    }

    /** {@code off} or {@code enforce}. Environment: {@code SUBSCRIPTION_GATE_MODE}. */
    @WithDefault("off")
    Mode mode();

    /** The exempt paths unless configured otherwise (comma-separated); the OpenAPI contracts document these. */
    String DEFAULT_EXEMPT_PATHS = "/v1/billing/";

    /** Path prefixes never gated, so a lapsed org can still pay: billing's routes. */
    @WithDefault(DEFAULT_EXEMPT_PATHS)
    List<String> exemptPaths();
}
