package dev.huddle.core.identity;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.huddle.core.invitations.InvitationRepository;
import dev.huddle.core.memberships.Actor;
import dev.huddle.core.memberships.MembershipChange;
import dev.huddle.core.memberships.MembershipRepository;
import dev.huddle.core.memberships.MembershipService;
import dev.huddle.core.memberships.MembershipState;
import dev.huddle.core.memberships.Transition;
import dev.huddle.core.orgs.OrgRepository;
import dev.huddle.core.orgs.OrgService;
import dev.huddle.core.users.UserRepository;
import dev.huddle.core.workos.WorkOsRoles;
import dev.huddle.platform.outbox.Channels;
import dev.huddle.platform.outbox.OutboxWriter;
import dev.huddle.platform.tenancy.Role;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Applies one WorkOS event inside the caller's transaction. Idempotent: applying an event again, or data older than
 * what a row last got from WorkOS ({@code workos_updated_at}), changes nothing; a user or membership whose deleted
 * event was applied (or that our API removed in WorkOS) is remembered in {@code core.workos_tombstones}
 * ({@link MembershipRepository#tombstone}; WorkOS never reuses ids), so a replayed created or updated event does not bring it
 * back,
 * and a deleted event for an id already tombstoned only removes a membership still linked to that id.
 * <ul>
 * <li>{@code user.created/updated} upsert {@code core.users} by WorkOS user id (an email another user has, any
 * case, fails the event).</li>
 * <li>{@code user.deleted} removes the user's memberships through the membership write path (history, seats,
 * announcements), then deletes the user row: their messages stay with a null author, recordings stay.</li>
 * <li>{@code organization.created/updated} create the org through {@link OrgService} or rename it;
 * {@code organization.deleted} deletes nothing (rooms, chat and recordings are the customer's) and is logged.</li>
 * <li>{@code invitation.accepted/revoked} close the pending invitation WorkOS sent ({@code core.invitations}); the
 * membership comes with {@code organization_membership.created}, which also closes the invitee's pending invitation
 * to the org, and is kept pending while the user's address is not verified.</li>
 * <li>{@code organization_membership.*} go through {@link MembershipService} as {@link Actor#WORKOS}; unknown role
 * slugs become member. A membership of an org or user we do not know is skipped with a log line (WorkOS sends
 * the user and org events first; one we lack was deleted or predates the 30 days WorkOS keeps, which a full
 * reconciliation, {@link WorkOsReconciler}, covers).</li>
 * </ul>
 */
@ApplicationScoped
public class WorkOsEventApplier {

    private static final Logger LOG = Logger.getLogger(WorkOsEventApplier.class);

    private final OrgService orgService;
    private final OrgRepository orgs;
    private final UserRepository users;
    private final MembershipService memberships;
    private final MembershipRepository membershipRows;
    private final OutboxWriter outbox;
    private final InvitationRepository invitations;

    public WorkOsEventApplier(OrgService orgService, OrgRepository orgs, UserRepository users,
            MembershipService memberships, MembershipRepository membershipRows, OutboxWriter outbox,
            InvitationRepository invitations) {
        this.orgService = orgService;
        this.orgs = orgs;
        this.users = users;
        this.memberships = memberships;
        this.membershipRows = membershipRows;
        this.outbox = outbox;
        this.invitations = invitations;
    }

    /** Applies the event in {@code tx}; a failure fails the event (and rolls the transaction back). */
    public Uni<Void> apply(SqlConnection tx, WorkOsEvent event) {
        return switch (event.type()) {
            case "user.created", "user.updated" -> upsertUser(tx, event);
            case "user.deleted" -> deleteUser(tx, event);
            case "organization.created", "organization.updated" -> upsertOrg(tx, event);
            case "organization.deleted" -> {
                LOG.warnf("WorkOS event %s: organization %s was deleted in WorkOS; its data here is kept", event.id(),
                        event.data().getString("id"));
                yield Uni.createFrom().voidItem();
            }
            case "organization_membership.created", "organization_membership.updated" -> membership(tx, event, false);
            case "organization_membership.deleted" -> membership(tx, event, true);
            case "invitation.accepted" -> invitations.acceptedInWorkOs(tx, required(event.data(), "id"));
            case "invitation.revoked" -> invitations.revokedInWorkOs(tx, required(event.data(), "id"));
            default -> {
                LOG.debugf("WorkOS event %s of type %s ignored", event.id(), event.type());
                yield Uni.createFrom().voidItem();
            }
        };
    }

    private Uni<Void> upsertUser(SqlConnection tx, WorkOsEvent event) {
        JsonObject user = event.data();
        String workosId = required(user, "id");
        String email = required(user, "email");
        return membershipRows.tombstoned(tx, workosId).chain(gone -> gone ? Uni.createFrom().voidItem()
                : users.upsertFromWorkOs(tx, workosId, email, displayName(user), event.dataUpdatedAt(),
                        Boolean.TRUE.equals(user.getValue("email_verified"))));
    }

    private Uni<Void> deleteUser(SqlConnection tx, WorkOsEvent event) {
        String workosId = required(event.data(), "id");
        return tombstone(tx, workosId, event).chain(() -> users.lockWorkosUser(tx, workosId)).chain(user -> {
            if (user == null || stale(user.workosUpdatedAt(), event.dataUpdatedAt())) {
                return Uni.createFrom().voidItem();
            }
            UUID userId = user.id();
            return membershipRows.orgsOf(tx, userId)
                    .chain(orgIds -> Multi.createFrom().iterable(orgIds)
                            .onItem().transformToUniAndConcatenate(orgId -> memberships.apply(tx, new MembershipChange(
                                    orgId, userId, Transition.to(MembershipState.NONE), Actor.WORKOS)))
                            .collect().last())
                    .chain(() -> users.delete(tx, userId));
        });
    }

    private Uni<Void> upsertOrg(SqlConnection tx, WorkOsEvent event) {
        JsonObject org = event.data();
        String workosId = required(org, "id");
        String name = truncate(required(org, "name").strip(), 200);
        OffsetDateTime updatedAt = event.dataUpdatedAt();
        return orgs.lockWorkosOrg(tx, workosId).chain(found -> {
            if (found == null) {
                // created through the org service, in its own transaction: if this event's transaction fails
                // later, the rerun finds the org by its WorkOS id and only stamps it
                return orgService.create(name, null, workosId, null, Actor.WORKOS)
                        .chain(created -> orgs.stampWorkos(tx, created.id(), updatedAt));
            }
            UUID id = found.id();
            OffsetDateTime stored = found.workosUpdatedAt();
            if (stale(stored, updatedAt)) {
                return Uni.createFrom().voidItem();
            }
            boolean renamed = !name.equals(found.name());
            if (!renamed) {
                return updatedAt == null || updatedAt.isEqual(stored == null ? OffsetDateTime.MIN : stored)
                        ? Uni.createFrom().voidItem()
                        : orgs.stampWorkos(tx, id, updatedAt);
            }
            return orgs.renameFromWorkOs(tx, id, name, updatedAt)
                    .chain(() -> outbox.append(tx, Channels.org(id), "org.updated",
                            Map.of("orgId", id.toString(), "name", name)));
        });
    }

    private Uni<Void> membership(SqlConnection tx, WorkOsEvent event, boolean deleted) {
        JsonObject data = event.data();
        String membershipId = required(data, "id");
        String workosOrgId = required(data, "organization_id");
        String workosUserId = required(data, "user_id");
        MembershipState target = deleted ? MembershipState.NONE
                : new MembershipState(role(data), status(required(data, "status")));
        OffsetDateTime updatedAt = event.dataUpdatedAt();
        // a deletion already recorded (a replay, or our API removed it in WorkOS and here) only acts on a membership
        // still linked to this id: the user may have been added again since, locally, and that one stays
        Uni<Boolean> skip = deleted
                ? tombstone(tx, membershipId, event).chain(recorded -> recorded ? Uni.createFrom().item(false)
                        : membershipRows.linked(tx, membershipId).map(linked -> !linked))
                : membershipRows.tombstoned(tx, membershipId);
        return skip.chain(gone -> {
            if (gone) {
                return Uni.createFrom().voidItem();
            }
            return membershipNow(tx, event, membershipId, workosOrgId, workosUserId, target, updatedAt, deleted);
        });
    }

    private Uni<Void> membershipNow(SqlConnection tx, WorkOsEvent event, String membershipId, String workosOrgId,
            String workosUserId, MembershipState target, OffsetDateTime updatedAt, boolean deleted) {
        return orgs.idOfWorkosOrg(tx, workosOrgId)
                .chain(orgId -> users.workosUser(tx, workosUserId).chain(user -> {
                    if (orgId == null || user == null) {
                        LOG.infof("WorkOS event %s skipped: membership %s is of %s %s we do not know", event.id(),
                                membershipId, orgId == null ? "organization" : "user",
                                orgId == null ? workosOrgId : workosUserId);
                        return Uni.createFrom().voidItem();
                    }
                    UUID userId = user.id();
                    return membershipRows.workosStamp(tx, orgId, userId).chain(stamp -> {
                        if (stale(stamp == null ? null : stamp.updatedAt(), updatedAt)) {
                            return Uni.createFrom().voidItem();
                        }
                        // only a verified address becomes a member: a new membership of an unverified one is kept
                        // pending until WorkOS sends it again (an update, or a reconciliation) once it is verified
                        MembershipState to = stamp == null && target.active() && !user.emailVerified()
                                ? new MembershipState(target.role(), MembershipState.PENDING)
                                : target;
                        // the invitation this membership accepts no longer holds a seat beside it
                        return (to.active() ? invitations.acceptedByMembership(tx, orgId, userId)
                                : Uni.createFrom().voidItem())
                                .chain(() -> memberships.apply(tx, new MembershipChange(orgId, userId, Transition.to(to),
                                        Actor.WORKOS)))
                                .chain(() -> deleted ? Uni.createFrom().voidItem()
                                        : membershipRows.linkWorkos(tx, orgId, userId, membershipId, updatedAt));
                    });
                }));
    }

    /** @return true when the tombstone is new */
    private Uni<Boolean> tombstone(SqlConnection tx, String workosId, WorkOsEvent event) {
        return membershipRows.tombstone(tx, workosId, event.id());
    }

    /** Whether incoming data is older than what the row last got from WorkOS. */
    private static boolean stale(OffsetDateTime stored, OffsetDateTime incoming) {
        return stored != null && incoming != null && incoming.isBefore(stored);
    }

    /** The membership's {@code role.slug} as our role ({@link WorkOsRoles}: a custom slug is a member here). */
    static Role role(JsonObject membership) {
        JsonObject role = membership.getValue("role") instanceof JsonObject r ? r : null;
        return WorkOsRoles.role(role == null ? null : role.getString("slug"));
    }

    private static String status(String status) {
        return switch (status) {
            case MembershipState.ACTIVE, MembershipState.INACTIVE, MembershipState.PENDING -> status;
            default -> throw new IllegalArgumentException("unknown membership status '" + status + "'");
        };
    }

    private static String displayName(JsonObject user) {
        String first = user.getString("first_name");
        String last = user.getString("last_name");
        String name = ((first == null ? "" : first.strip()) + " " + (last == null ? "" : last.strip())).strip();
        return name.isEmpty() ? null : truncate(name, 200);
    }

    private static String required(JsonObject json, String field) {
        Object value = json.getValue(field);
        if (!(value instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("the event's data has no " + field);
        }
        return s;
    }

    private static String truncate(String value, int codePoints) {
        return value.codePointCount(0, value.length()) <= codePoints ? value
                : value.substring(0, value.offsetByCodePoints(0, codePoints));
    }
}
