package dev.huddle.core.memberships;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Pattern;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "UpdateMember", description = "A new role, a new status, or both.")
public record UpdateMemberRequest(
        @Schema(nullable = true, enumeration = {
                "owner", "admin", "member" }, examples = "admin") @Pattern(regexp = "owner|admin|member") String role,
        @Schema(nullable = true, enumeration = { "active",
                "inactive" }, examples = "inactive") @Pattern(regexp = "active|inactive") String status){

    @AssertTrue(message = "give role, status or both")
    @Schema(hidden = true)
    public boolean isSomething() {
        return role != null || status != null;
    }
}
