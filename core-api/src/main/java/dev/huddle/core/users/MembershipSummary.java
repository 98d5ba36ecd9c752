package dev.huddle.core.users;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "MyMembership", description = "One of the caller's active memberships.")
public record MembershipSummary(
        @Schema(examples = "0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e") UUID orgId,
        @Schema(examples = "Acme Video") String orgName,
        @Schema(enumeration = {
                "owner", "admin", "member" }, examples = "owner") String role){
}
