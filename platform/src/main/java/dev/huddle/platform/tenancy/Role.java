package dev.huddle.platform.tenancy;

import java.lang.reflect.AnnotatedElement;
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

    /**
     * The role a guard annotation ({@link RequiresOwner}, {@link RequiresAdmin}, {@link RequiresMember}) on an
     * operation or resource class asks for, or null. Read when the contract is built, never per request: at run time
     * the annotations bind the guard filters of {@link OrgAccessFilter}.
     */
    public static Role requiredBy(AnnotatedElement element) {
        if (element.isAnnotationPresent(RequiresOwner.class)) {
            return OWNER;
        }
        if (element.isAnnotationPresent(RequiresAdmin.class)) {
            return ADMIN;
        }
        if (element.isAnnotationPresent(RequiresMember.class)) {
            return MEMBER;
        }
        return null;
    }
}
