package dev.huddle.core.memberships;

import dev.huddle.platform.tenancy.Role;

/**
 * A membership's role and status; {@link #NONE} when there is no membership.
 *
 * @param role null only for NONE
 * @param status {@code active}, {@code inactive} or {@code pending}; null only for NONE
 */
public record MembershipState(Role role, String status) {

    public static final MembershipState NONE = new MembershipState(null, null);
    public static final String ACTIVE = "active";
    public static final String INACTIVE = "inactive";
    public static final String PENDING = "pending";

    public boolean exists() {
        return status != null;
    }

    public boolean active() {
        return ACTIVE.equals(status);
    }

    public boolean activeOwner() {
        return active() && role == Role.OWNER;
    }

    public String roleValue() {
        return role == null ? null : role.value();
    }
}
