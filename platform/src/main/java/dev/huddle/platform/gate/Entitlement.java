package dev.huddle.platform.gate;

import java.time.OffsetDateTime;

/**
 * A row of {@code billing.org_entitlements}; {@link #NONE} for an org that never subscribed.
 *
 * @param graceEndsAt set while a past_due subscription is still entitled
 */
public record Entitlement(boolean entitled, String reason, OffsetDateTime graceEndsAt) {

    public static final Entitlement NONE = new Entitlement(false, "none", null);

    public boolean inGrace() {
        return entitled && "past_due_grace".equals(reason);
    }
}
