package dev.huddle.core.invitations;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An invitation to an org, as stored.
 *
 * @param email the address invited, lowercased
 * @param role {@code admin} or {@code member}
 * @param state {@code pending}, {@code accepted} or {@code revoked}
 * @param workosInvitationId WorkOS's id when WorkOS sent it; null when it is ours alone (accepted through our API)
 */
public record Invitation(UUID id, UUID orgId, String email, String role, String state, String workosInvitationId,
        OffsetDateTime expiresAt, OffsetDateTime createdAt) {

    public static final String PENDING = "pending";
}
