package dev.huddle.core.memberships;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Member", description = "A user's membership in an organization.")
public record Member(
        @Schema(examples = "6f1c2d3e-4a5b-4c6d-8e7f-8a9b0c1d2e3f") UUID userId,
        @Schema(examples = "user_01HZX5J8Q2W3E4R5T6Y7U8I9O0") String workosUserId,
        @Schema(examples = "ada@example.com") String email,
        @Schema(nullable = true, examples = "Ada Lovelace") String displayName,
        @Schema(enumeration = {
                "owner", "admin", "member" }, examples = "member") String role,
        @Schema(enumeration = { "active", "inactive", "pending" }, examples = "active") String status,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt){
}
