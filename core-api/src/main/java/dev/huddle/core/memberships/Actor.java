package dev.huddle.core.memberships;

import java.util.UUID;

import dev.huddle.platform.tenancy.Role;

/**
 * Who changes a membership. API callers act with their role in the org and are held to the role rules (only an
 * owner touches owners); WorkOS and billing act for the system and are only held to the invariants (seat cap,
 * last owner).
 *
 * @param source {@code api}, {@code workos} or {@code billing}, as stored in the history
 * @param userId the calling user (API only)
 * @param role the caller's role in the org (API only)
 */
public record Actor(String source, UUID userId, Role role) {

    public static Actor api(UUID userId, Role role) {
        return new Actor("api", userId, role);
    }

    /**
     * A user accepting an invitation to the org: they act for themselves with no role yet, and the role rules were
     * checked when an admin made the invitation; the invariants (seat cap, last owner) hold as for anyone.
     */
    public static Actor invitee(UUID userId) {
        return new Actor("api", userId, null);
    }

    public static final Actor WORKOS = new Actor("workos", null, null);
    public static final Actor BILLING = new Actor("billing", null, null);

    public boolean isUser() {
        return userId != null;
    }
}
