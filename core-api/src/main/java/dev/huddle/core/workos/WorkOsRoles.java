package dev.huddle.core.workos;

import java.util.EnumMap;
import java.util.Map;

import dev.huddle.platform.tenancy.Role;

/**
 * How our roles and WorkOS role slugs correspond: the one table, read one way when WorkOS tells us a membership's
 * role ({@code role.slug} of its events and lists) and the other way when we change a role in WorkOS
 * ({@code role_slug}). WorkOS's slugs {@code owner}, {@code admin} and {@code member} are our roles; any other
 * (custom) slug is a member here.
 */
public final class WorkOsRoles {

    private static final Map<Role, String> SLUGS = new EnumMap<>(Map.of(
            Role.OWNER, "owner",
            Role.ADMIN, "admin",
            Role.MEMBER, "member"));

    private WorkOsRoles() {
    }

    /** Our role for a WorkOS role slug; member for a slug not in the table (or none). */
    public static Role role(String slug) {
        for (Map.Entry<Role, String> entry : SLUGS.entrySet()) {
            if (entry.getValue().equals(slug)) {
                return entry.getKey();
            }
        }
        return Role.MEMBER;
    }

    /** The WorkOS role slug of our role. */
    public static String slug(Role role) {
        return SLUGS.get(role);
    }
}
