package dev.huddle.platform.tenancy;

import java.util.Locale;

/**
 * A member's role in an org. Each role can do all that the ones below it can:
 *
 * <pre>
 * member  read the org, its rooms and recordings; chat; edit and delete own messages
 * admin   + manage rooms, members (not owners), org name and settings, billing, delete any message or recording
 * owner   + grant, change and take away the owner role
 * </pre>
 */
public enum Role {
    MEMBER,
    ADMIN,
    OWNER;

    public boolean atLeast(Role minimum) {
        return compareTo(minimum) >= 0;
    }

    /** As stored in {@code core.memberships.role} and shown in the API. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
