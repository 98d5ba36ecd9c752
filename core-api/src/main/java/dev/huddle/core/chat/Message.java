package dev.huddle.core.chat;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A chat message, as stored.
 *
 * @param parentId the thread's top-level message, or null for a top-level message
 * @param authorId null once the author's account is deleted
 */
public record Message(UUID id, UUID roomId, UUID parentId, UUID authorId, String body, int replyCount,
        OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
