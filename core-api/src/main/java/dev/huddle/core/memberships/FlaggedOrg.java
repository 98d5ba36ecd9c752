package dev.huddle.core.memberships;

import java.time.OffsetDateTime;
import java.util.UUID;

/** An org flagged for operators (no active owner, or more active members than seats), and since when. */
public record FlaggedOrg(UUID orgId, String name, OffsetDateTime since) {
}
