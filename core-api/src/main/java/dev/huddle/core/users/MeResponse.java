package dev.huddle.core.users;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Me", description = "The caller. Before WorkOS has synced the user, only workosUserId is known "
        + "and memberships is empty.")
public record MeResponse(
        @Schema(nullable = true, examples = "6f1c2d3e-4a5b-4c6d-8e7f-8a9b0c1d2e3f") UUID id,
        @Schema(examples = "user_01HZX5J8Q2W3E4R5T6Y7U8I9O0") String workosUserId,
        @Schema(nullable = true, examples = "ada@example.com") String email,
        @Schema(nullable = true, examples = "Ada Lovelace") String displayName,
        List<MembershipSummary> memberships) {
}
