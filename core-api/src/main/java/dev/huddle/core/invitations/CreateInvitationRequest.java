package dev.huddle.core.invitations;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "CreateInvitation", description = "Who to invite, by email, and with what role once they accept.")
public record CreateInvitationRequest(
        @Schema(examples = "ada@example.com") @NotBlank @Email @Size(max = 320) String email,
        @Schema(enumeration = {
                "admin", "member" }, examples = "member") @NotNull @Pattern(regexp = "admin|member") String role){
}
