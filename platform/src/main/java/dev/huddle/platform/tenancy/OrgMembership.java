package dev.huddle.platform.tenancy;

import java.util.UUID;

/** The caller's active membership in the org named by the request path. */
public record OrgMembership(UUID orgId, UUID userId, String workosUserId, Role role) {
}
