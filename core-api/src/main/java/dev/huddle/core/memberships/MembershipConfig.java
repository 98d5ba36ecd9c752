package dev.huddle.core.memberships;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Membership changes made through the API. */
@ConfigMapping(prefix = "huddle.memberships")
public interface MembershipConfig {

    /**
     * Timeout of each call to WorkOS that deactivating, reactivating, changing the role of or removing a
     * WorkOS-managed member makes; the org's other membership changes wait for it. Environment:
     * {@code HUDDLE_MEMBERSHIPS_WORKOS_TIMEOUT}.
     */
    @WithDefault("10s")
    Duration workosTimeout();
}
