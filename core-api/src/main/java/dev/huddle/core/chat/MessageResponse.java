package dev.huddle.core.chat;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Message", description = "A chat message in a room: top-level, or a reply in a top-level message's thread.")
public record MessageResponse(
        @Schema(examples = "5f0c8a9e-3b1d-4c2e-9f8a-7b6c5d4e3f2a") UUID id,
        @Schema(examples = "0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a") UUID roomId,
        @Schema(nullable = true, description = "The top-level message whose thread this replies to; null for a "
                + "top-level message") UUID parentId,
        @Schema(nullable = true, description = "The author; null once their account is deleted (the message stays)", examples = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d") UUID authorId,
        @Schema(description = "1 to 4000 characters, trimmed", examples = "Standup moved to 10:30") String body,
        @Schema(description = "Replies in this message's thread; always 0 for a reply", examples = "3") int replyCount,
        OffsetDateTime createdAt,
        @Schema(description = "Later than createdAt once the author has edited the body") OffsetDateTime updatedAt) {

    static MessageResponse of(Message m) {
        return new MessageResponse(m.id(), m.roomId(), m.parentId(), m.authorId(), m.body(), m.replyCount(),
                m.createdAt(), m.updatedAt());
    }
}
