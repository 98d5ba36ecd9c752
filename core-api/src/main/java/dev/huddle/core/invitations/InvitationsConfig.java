package dev.huddle.core.invitations;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Invitations to an org. */
@ConfigMapping(prefix = "huddle.invitations")
public interface InvitationsConfig {

    /**
     * How long an invitation can be accepted, in whole days (WorkOS's {@code expires_in_days}, 1 to 30); a pending
     * invitation holds its seat until then. Environment: {@code HUDDLE_INVITATIONS_EXPIRES_IN}.
     */
    @WithDefault("7d")
    Duration expiresIn();
}
