package dev.huddle.core.memberships;

import java.util.UUID;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "AddMember", description = "Who to add, by email or by user id (exactly one), and with what role.")
public record AddMemberRequest(
        @Schema(nullable = true, examples = "ada@example.com") @Email @Size(max = 320) String email,
        @Schema(nullable = true) UUID userId,
        @Schema(enumeration = {
                "owner", "admin",
                "member" }, examples = "member") @NotNull @Pattern(regexp = "owner|admin|member") String role){

    @AssertTrue(message = "give exactly one of email and userId")
    @Schema(hidden = true)
    public boolean isExactlyOneWho() {
        return (email == null) != (userId == null);
    }
}
