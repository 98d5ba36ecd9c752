package dev.huddle.core.invitations;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.platform.paging.Cursor;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** {@code core.invitations}. */
@ApplicationScoped
public class InvitationRepository {

    private static final String INSERT = """
            INSERT INTO core.invitations (org_id, email, role, workos_invitation_id, invited_by, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (org_id, email) WHERE state = 'pending' DO NOTHING
            RETURNING id, org_id, email, role, state, workos_invitation_id, expires_at, created_at""";
    private static final String PENDING_OF_EMAIL = """
            SELECT 1 FROM core.invitations WHERE org_id = $1 AND email = $2 AND state = 'pending'""";
    private static final String LIST = """
            SELECT id, org_id, email, role, state, workos_invitation_id, expires_at, created_at
            FROM core.invitations
            WHERE org_id = $1 AND state = 'pending'
              AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3))
            ORDER BY created_at DESC, id DESC
            LIMIT $4""";
    private static final String FIND_FOR_UPDATE = """
            SELECT id, org_id, email, role, state, workos_invitation_id, expires_at, created_at
            FROM core.invitations WHERE id = $1 AND org_id = $2 FOR UPDATE""";
    private static final String FOR_ACCEPTANCE = """
            SELECT i.id, i.org_id, i.email, i.role, i.state, i.workos_invitation_id, i.expires_at, i.created_at,
                   u.id AS user_id, u.email_verified
            FROM core.invitations i
            JOIN core.users u ON lower(u.email) = i.email AND u.workos_user_id = $2
            WHERE i.id = $1
            FOR UPDATE OF i""";
    private static final String ACCEPT = """
            UPDATE core.invitations SET state = 'accepted', accepted_by = $2, updated_at = now()
            WHERE id = $1 AND state = 'pending'""";
    private static final String REVOKE = """
            UPDATE core.invitations SET state = 'revoked', updated_at = now() WHERE id = $1 AND state = 'pending'""";
    private static final String EXTEND = "UPDATE core.invitations SET expires_at = $2, updated_at = now() WHERE id = $1";
    private static final String ACCEPTED_IN_WORKOS = """
            UPDATE core.invitations SET state = 'accepted', updated_at = now()
            WHERE workos_invitation_id = $1 AND state = 'pending'""";
    private static final String REVOKED_IN_WORKOS = """
            UPDATE core.invitations SET state = 'revoked', updated_at = now()
            WHERE workos_invitation_id = $1 AND state = 'pending'""";
    private static final String ACCEPTED_BY_MEMBERSHIP = """
            UPDATE core.invitations SET state = 'accepted', accepted_by = $2, updated_at = now()
            WHERE org_id = $1 AND state = 'pending' AND email = (SELECT lower(email) FROM core.users WHERE id = $2)""";
    private static final String ORG_LINKS = """
            SELECT o.workos_org_id, (SELECT u.workos_user_id FROM core.users u WHERE u.id = $2) AS inviter
            FROM core.organizations o WHERE o.id = $1""";

    /** The invitation to accept, and the caller as its invitee. */
    record ForAcceptance(Invitation invitation, UUID userId, boolean emailVerified) {
    }

    /** The org's WorkOS id (null: WorkOS does not manage it) and the inviter's WorkOS user id. */
    record Links(String workosOrgId, String inviterWorkosUserId) {
    }

    private final Pool pool;

    public InvitationRepository(Pool pool) {
        this.pool = pool;
    }

    /** The new pending invitation; null when one is already pending for this address. */
    Uni<Invitation> insert(SqlConnection tx, UUID orgId, String email, String role, String workosInvitationId,
            UUID invitedBy, OffsetDateTime expiresAt) {
        return tx.preparedQuery(INSERT).execute(Tuple.of(orgId, email, role, workosInvitationId, invitedBy, expiresAt))
                .map(rows -> rows.size() == 0 ? null : toInvitation(rows.iterator().next()));
    }

    Uni<Boolean> pendingFor(SqlConnection tx, UUID orgId, String email) {
        return tx.preparedQuery(PENDING_OF_EMAIL).execute(Tuple.of(orgId, email)).map(rows -> rows.size() > 0);
    }

    Uni<List<Invitation>> pending(UUID orgId, Cursor after, int limit) {
        return pool.preparedQuery(LIST).execute(Tuple.of(orgId, after == null ? null : after.createdAt(),
                after == null ? null : after.id(), limit)).map(rows -> {
                    List<Invitation> list = new ArrayList<>(rows.size());
                    rows.forEach(row -> list.add(toInvitation(row)));
                    return list;
                });
    }

    /** The org's invitation, locked; null when the org has no such invitation. */
    Uni<Invitation> lock(SqlConnection tx, UUID orgId, UUID id) {
        return tx.preparedQuery(FIND_FOR_UPDATE).execute(Tuple.of(id, orgId))
                .map(rows -> rows.size() == 0 ? null : toInvitation(rows.iterator().next()));
    }

    /** The invitation, locked, if it was sent to the address of the user {@code workosUserId}; else null. */
    Uni<ForAcceptance> forAcceptance(SqlConnection tx, UUID id, String workosUserId) {
        return tx.preparedQuery(FOR_ACCEPTANCE).execute(Tuple.of(id, workosUserId)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            return new ForAcceptance(toInvitation(row), row.getUUID("user_id"), row.getBoolean("email_verified"));
        });
    }

    Uni<Void> accept(SqlConnection tx, UUID id, UUID userId) {
        return tx.preparedQuery(ACCEPT).execute(Tuple.of(id, userId)).replaceWithVoid();
    }

    Uni<Void> revoke(SqlConnection tx, UUID id) {
        return tx.preparedQuery(REVOKE).execute(Tuple.of(id)).replaceWithVoid();
    }

    Uni<Void> extend(SqlConnection tx, UUID id, OffsetDateTime expiresAt) {
        return tx.preparedQuery(EXTEND).execute(Tuple.of(id, expiresAt)).replaceWithVoid();
    }

    Uni<Links> links(SqlConnection tx, UUID orgId, UUID inviter) {
        return tx.preparedQuery(ORG_LINKS).execute(Tuple.of(orgId, inviter)).map(rows -> {
            Row row = rows.iterator().next();
            return new Links(row.getString("workos_org_id"), row.getString("inviter"));
        });
    }

    /** WorkOS says its invitation was accepted ({@code invitation.accepted}). */
    public Uni<Void> acceptedInWorkOs(SqlConnection tx, String workosInvitationId) {
        return tx.preparedQuery(ACCEPTED_IN_WORKOS).execute(Tuple.of(workosInvitationId)).replaceWithVoid();
    }

    /** WorkOS says its invitation was revoked ({@code invitation.revoked}). */
    public Uni<Void> revokedInWorkOs(SqlConnection tx, String workosInvitationId) {
        return tx.preparedQuery(REVOKED_IN_WORKOS).execute(Tuple.of(workosInvitationId)).replaceWithVoid();
    }

    /**
     * The user became a member of the org: their pending invitation there (to their address) is accepted, so that it
     * no longer holds a seat beside the membership, whichever of WorkOS's events comes first.
     */
    public Uni<Void> acceptedByMembership(SqlConnection tx, UUID orgId, UUID userId) {
        return tx.preparedQuery(ACCEPTED_BY_MEMBERSHIP).execute(Tuple.of(orgId, userId)).replaceWithVoid();
    }

    private static Invitation toInvitation(Row row) {
        return new Invitation(row.getUUID("id"), row.getUUID("org_id"), row.getString("email"), row.getString("role"),
                row.getString("state"), row.getString("workos_invitation_id"), row.getOffsetDateTime("expires_at"),
                row.getOffsetDateTime("created_at"));
    }
}
