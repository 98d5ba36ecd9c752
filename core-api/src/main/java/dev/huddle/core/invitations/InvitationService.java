package dev.huddle.core.invitations;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.core.memberships.Actor;
import dev.huddle.core.memberships.MembershipChange;
import dev.huddle.core.memberships.MembershipConfig;
import dev.huddle.core.memberships.MembershipService;
import dev.huddle.core.memberships.Transition;
import dev.huddle.core.workos.WorkOs;
import dev.huddle.core.workos.WorkOsApi;
import dev.huddle.core.workos.WorkOsApiException;
import dev.huddle.core.workos.WorkOsProblems;
import dev.huddle.core.workos.WorkOsWire;
import dev.huddle.platform.paging.Cursor;
import dev.huddle.platform.problem.ProblemException;
import dev.huddle.platform.tenancy.Role;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Invitations: the only way a person joins an org. An admin invites an address; the invitation is pending and holds
 * a seat (the seat cap counts it, so accepting never exceeds the cap); the invitee's acceptance makes the membership,
 * through the single write path.
 * <ul>
 * <li>When WorkOS is configured and manages the org, WorkOS sends it ({@code POST /user_management/invitations}, in
 * the org's lock, before anything is written here; WorkOS failing writes nothing) and only WorkOS's acceptance
 * counts: its {@code invitation.accepted} and {@code organization_membership.created} events, applied by the sync.
 * Revoke and resend go to WorkOS first too.</li>
 * <li>Otherwise (local stack, or an org WorkOS does not know) the invitee accepts through our API with their own
 * token: the invitation must be to their account's address, and that address verified.</li>
 * </ul>
 * Nothing here reads whether the address has an account: the answer to an invitation is the same either way, and
 * holds nothing but what the inviter gave.
 */
@ApplicationScoped
public class InvitationService {

    private final Pool pool;
    private final InvitationRepository repository;
    private final MembershipService memberships;
    private final WorkOs workOs;
    private final InvitationsConfig config;
    private final MembershipConfig membershipConfig;

    public InvitationService(Pool pool, InvitationRepository repository, MembershipService memberships, WorkOs workOs,
            InvitationsConfig config, MembershipConfig membershipConfig) {
        this.pool = pool;
        this.repository = repository;
        this.memberships = memberships;
        this.workOs = workOs;
        this.config = config;
        this.membershipConfig = membershipConfig;
    }

    /** Invites {@code email} as {@code role}: 409 {@code seat-limit} when no seat is free, 409 when already pending. */
    public Uni<Invitation> invite(UUID orgId, UUID inviter, String email, String role) {
        String address = email.strip().toLowerCase(Locale.ROOT);
        long days = Math.max(1, Math.min(30, config.expiresIn().toDays()));
        return pool.withTransaction(tx -> memberships.holdSeat(tx, orgId)
                .chain(() -> repository.pendingFor(tx, orgId, address))
                .chain(pending -> pending ? Uni.createFrom().failure(alreadyPending())
                        : repository.links(tx, orgId, inviter))
                .chain(links -> {
                    if (links.workosOrgId() == null || !workOs.configured()) {
                        return insert(tx, orgId, address, role, null, inviter,
                                OffsetDateTime.now(ZoneOffset.UTC).plusDays(days));
                    }
                    var request = new WorkOsWire.InvitationRequest(address, links.workosOrgId(), role,
                            links.inviterWorkosUserId(), (int) days);
                    return inWorkOs("send the invitation", api -> api.invite(request)).chain(sent -> {
                        OffsetDateTime expires = WorkOsWire.timestamp(sent.expiresAt());
                        return insert(tx, orgId, address, role, sent.id(), inviter, expires != null ? expires
                                : OffsetDateTime.now(ZoneOffset.UTC).plusDays(days));
                    });
                }));
    }

    private Uni<Invitation> insert(SqlConnection tx, UUID orgId, String email, String role, String workosId,
            UUID inviter, OffsetDateTime expiresAt) {
        return repository.insert(tx, orgId, email, role, workosId, inviter, expiresAt).map(created -> {
            if (created == null) {
                throw alreadyPending();
            }
            return created;
        });
    }

    /** The org's pending invitations, newest first. */
    public Uni<List<Invitation>> pending(UUID orgId, Cursor after, int limit) {
        return repository.pending(orgId, after, limit);
    }

    /** Revokes a pending invitation (in WorkOS first when WorkOS sent it): its seat is free again. */
    public Uni<Invitation> revoke(UUID orgId, UUID id) {
        return pool.withTransaction(tx -> pendingOf(tx, orgId, id).chain(invitation -> {
            Uni<Void> inWorkOs = invitation.workosInvitationId() == null ? Uni.createFrom().voidItem()
                    : inWorkOs("revoke the invitation", api -> api.revokeInvitation(invitation.workosInvitationId()))
                            .replaceWithVoid();
            return inWorkOs.chain(() -> repository.revoke(tx, id)).chain(() -> repository.lock(tx, orgId, id));
        }));
    }

    /** Has WorkOS send a pending invitation again; only for invitations WorkOS sent (409 otherwise). */
    public Uni<Invitation> resend(UUID orgId, UUID id) {
        return pool.withTransaction(tx -> pendingOf(tx, orgId, id).chain(invitation -> {
            if (invitation.workosInvitationId() == null) {
                return Uni.createFrom().failure(ProblemException.conflict("invitation-not-sent",
                        "this server sends no invitation emails (WorkOS does not manage the organization): "
                                + "give the invitee the invitation's id to accept"));
            }
            return inWorkOs("resend the invitation", api -> api.resendInvitation(invitation.workosInvitationId()))
                    .chain(sent -> {
                        OffsetDateTime expires = WorkOsWire.timestamp(sent.expiresAt());
                        return expires == null ? Uni.createFrom().voidItem() : repository.extend(tx, id, expires);
                    })
                    .chain(() -> repository.lock(tx, orgId, id));
        }));
    }

    /**
     * The caller ({@code workosUserId}) accepts an invitation to their own address: they become an active member with
     * its role, through the write path. 404 when there is no such pending invitation to them (whatever the reason:
     * nothing tells an invitation to someone else from none); 409 when WorkOS sent it (accept it there) or when
     * their address is not verified.
     */
    public Uni<Invitation> accept(UUID id, String workosUserId) {
        return pool.withTransaction(tx -> repository.forAcceptance(tx, id, workosUserId).chain(found -> {
            ProblemException.requireExists(found != null && Invitation.PENDING.equals(found.invitation().state())
                    && !found.invitation().expiresAt().isBefore(OffsetDateTime.now()), "invitation");
            Invitation invitation = found.invitation();
            if (invitation.workosInvitationId() != null) {
                return Uni.createFrom().failure(ProblemException.conflict("invitation-in-workos",
                        "WorkOS sent this invitation: accept it through the link in its email"));
            }
            if (!found.emailVerified()) {
                return Uni.createFrom().failure(ProblemException.conflict("email-unverified",
                        "your email address is not verified; verify it, then accept"));
            }
            // accepted first: the invitation's seat becomes the membership's
            return repository.accept(tx, id, found.userId())
                    .chain(() -> memberships.apply(tx, new MembershipChange(invitation.orgId(), found.userId(),
                            Transition.add(Role.of(invitation.role())), Actor.invitee(found.userId()))))
                    .chain(() -> repository.lock(tx, invitation.orgId(), id));
        }));
    }

    private Uni<Invitation> pendingOf(SqlConnection tx, UUID orgId, UUID id) {
        return repository.lock(tx, orgId, id).plug(ProblemException.orNotFound("invitation")).map(invitation -> {
            if (!Invitation.PENDING.equals(invitation.state())) {
                throw ProblemException.conflict("invitation-not-pending", "the invitation is " + invitation.state());
            }
            return invitation;
        });
    }

    /** One call to WorkOS; when it fails, the problem says WorkOS did not {@code what}. */
    private <T> Uni<T> inWorkOs(String what, Function<WorkOsApi, Uni<T>> request) {
        return workOs.call(what, membershipConfig.workosTimeout(), request).onFailure(WorkOsApiException.class)
                .transform(e -> WorkOsProblems.unavailable((WorkOsApiException) e,
                        "WorkOS did not " + what + "; nothing was changed"));
    }

    private static ProblemException alreadyPending() {
        return ProblemException.conflict("invitation-pending", "an invitation to this address is already pending");
    }
}
