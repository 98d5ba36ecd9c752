package dev.huddle.core.identity;

import java.time.OffsetDateTime;

/**
 * A WorkOS event the sync skipped as poison, as operators see it.
 *
 * @param error its last failure
 * @param skippedAt when it was skipped
 */
public record Poisoned(String eventId, String eventType, String error, int attempts, OffsetDateTime skippedAt) {
}
