package dev.huddle.core.invitations;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An invitation as the API shows it: what the inviter gave and its state, nothing about whether the address has an
 * account or who holds it.
 */
@Schema(name = "Invitation")
public record InvitationResponse(UUID id, @Schema(examples = "ada@example.com") String email,
        @Schema(enumeration = {
                "admin", "member" }) String role,
        @Schema(enumeration = { "pending", "accepted", "revoked" }) String state, OffsetDateTime expiresAt,
        OffsetDateTime createdAt){

    static InvitationResponse of(Invitation invitation) {
        return new InvitationResponse(invitation.id(), invitation.email(), invitation.role(), invitation.state(),
                invitation.expiresAt(), invitation.createdAt());
    }
}
