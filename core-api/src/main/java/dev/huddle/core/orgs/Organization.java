package dev.huddle.core.orgs;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/** An organization (a tenant), as stored. */
public record Organization(UUID id, String name, Map<String, Object> settings, OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {
}
