package dev.huddle.core.memberships;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.platform.outbox.Channels;
import dev.huddle.platform.outbox.OutboxWriter;
import dev.huddle.platform.paging.Cursor;
import dev.huddle.platform.paging.Page;
import dev.huddle.platform.problem.ProblemException;
import dev.huddle.platform.tenancy.Role;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The single membership write path. Every change of a membership, from the API, WorkOS or billing, goes through
 * {@link #apply}, which in one transaction: locks the org row (so changes of one org are serialized), checks the
 * rules, writes the membership, appends its history row, tells billing that the org's seats changed (when the
 * set of active members changed) and announces the change on {@code org:<orgId>}.
 * <p>
 * Rules: the org's seat cap (from {@code billing.org_entitlements}; none means unlimited; pending invitations hold
 * seats) is never exceeded, not even by concurrent adds; the last active owner can be neither removed, deactivated
 * nor demoted; through the API only an owner may grant, change or take away the owner role, other changes need an
 * admin, and anyone may leave. A change to the current state is a no-op: nothing is written (so a WorkOS echo of our
 * own change does nothing).
 * <p>
 * WorkOS is the source of truth for identity: its changes ({@link Actor#WORKOS}) are applied even when they break
 * the last-owner or seat-cap rule, and the consequence is flagged instead. An org left without an active owner gets
 * {@code owner_missing_since}, an {@code org.owner_missing} event on its channel and a count on
 * {@code core.orgs.owner_missing}; its admins may then claim ownership. An org with more active members than seats
 * gets {@code over_seat_cap_since} (kept fresh by every change of its active members; invitations are refused while
 * the seats are taken) and is billed for the real count.
 * <p>
 * A caller may pass a {@link BeforeWrite} step, run once the change is checked (inside the org's lock) and before
 * anything is written; its failure aborts the change. {@link MembershipLifecycle} makes the change in WorkOS there.
 */
@ApplicationScoped
public class MembershipService {

    /** A step between checking a change and writing it, in the change's transaction. */
    @FunctionalInterface
    public interface BeforeWrite {

        BeforeWrite NOTHING = (tx, from, to) -> Uni.createFrom().voidItem();

        /**
         * @param from the membership now (under the org's lock)
         * @param to what it becomes; never equal to {@code from}
         */
        Uni<Void> run(SqlConnection tx, MembershipState from, MembershipState to);
    }

    private final Pool pool;
    private final MembershipRepository repository;
    private final OutboxWriter outbox;
    private final Counter ownerMissing;

    public MembershipService(Pool pool, MembershipRepository repository, OutboxWriter outbox, MeterRegistry registry) {
        this.pool = pool;
        this.repository = repository;
        this.outbox = outbox;
        this.ownerMissing = Counter.builder("core.orgs.owner_missing")
                .description("Orgs left without an active owner by a change from WorkOS").register(registry);
    }

    /** Applies a change in its own transaction; returns the state before it. */
    public Uni<MembershipState> apply(MembershipChange change) {
        return pool.withTransaction(tx -> apply(tx, change));
    }

    /** Applies a change inside the caller's transaction (e.g. creating an org and its owner together). */
    public Uni<MembershipState> apply(SqlConnection tx, MembershipChange change) {
        return apply(tx, change, BeforeWrite.NOTHING);
    }

    /**
     * Applies a change inside the caller's transaction, running {@code beforeWrite} once the change is checked and
     * before it is written (not at all when the change is a no-op).
     */
    public Uni<MembershipState> apply(SqlConnection tx, MembershipChange change, BeforeWrite beforeWrite) {
        return lockOrg(tx, change.orgId()).chain(() -> repository.current(tx, change.orgId(), change.userId())).chain(from -> {
            MembershipState to = change.transition().next(from);
            if (from.equals(to)) {
                return Uni.createFrom().item(from);
            }
            checkRoleRules(change, from, to);
            boolean workOs = change.actor() == Actor.WORKOS;
            return (workOs ? Uni.createFrom().voidItem() : checkLastOwner(tx, change, from, to))
                    .chain(() -> workOs ? Uni.createFrom().voidItem() : checkSeatCap(tx, change.orgId(), from, to))
                    .chain(() -> beforeWrite.run(tx, from, to))
                    .chain(() -> repository.write(tx, change.orgId(), change.userId(), to))
                    .chain(() -> repository.appendHistory(tx, change, from, to))
                    .chain(() -> from.active() != to.active()
                            ? repository.enqueueSeatChange(tx, change.orgId(),
                                    to.active() ? "member_activated" : "member_deactivated")
                            : Uni.createFrom().voidItem())
                    .chain(() -> outbox.append(tx, Channels.org(change.orgId()), eventType(from, to), Map.of(
                            "orgId", change.orgId().toString(),
                            "userId", change.userId().toString(),
                            "role", to.exists() ? to.roleValue() : from.roleValue(),
                            "status", to.exists() ? to.status() : "removed")))
                    .chain(() -> consequences(tx, change, from, to))
                    .replaceWith(from);
        });
    }

    /** Flags what a change did to the org's owners and seats (only WorkOS's changes can break the rules). */
    private Uni<Void> consequences(SqlConnection tx, MembershipChange change, MembershipState from, MembershipState to) {
        UUID orgId = change.orgId();
        Uni<Void> owners;
        if (to.activeOwner()) {
            owners = repository.clearOwnerMissing(tx, orgId);
        } else if (from.activeOwner()) {
            owners = repository.countOtherActiveOwners(tx, orgId, change.userId()).chain(others -> {
                if (others > 0) {
                    return Uni.createFrom().voidItem();
                }
                return repository.flagOwnerMissing(tx, orgId)
                        .chain(() -> outbox.append(tx, Channels.org(orgId), "org.owner_missing",
                                Map.of("orgId", orgId.toString())))
                        .invoke(() -> ownerMissing.increment());
            });
        } else {
            owners = Uni.createFrom().voidItem();
        }
        return owners.chain(() -> from.active() != to.active() ? repository.refreshOverCap(tx, orgId).replaceWithVoid()
                : Uni.createFrom().voidItem());
    }

    private static void checkRoleRules(MembershipChange change, MembershipState from, MembershipState to) {
        Actor actor = change.actor();
        if (!actor.isUser() || actor.role() == null) {
            return; // the system, or an invitee (the inviting admin was held to the rules)
        }
        if (actor.userId().equals(change.userId()) && !to.exists()) {
            return; // anyone may leave (the last owner rule still holds)
        }
        boolean touchesOwner = from.role() == Role.OWNER || to.role() == Role.OWNER;
        if (touchesOwner && actor.role() != Role.OWNER) {
            throw ProblemException.forbidden("only an owner may grant, change or take away the owner role");
        }
        if (!actor.role().atLeast(Role.ADMIN)) {
            throw ProblemException.forbidden("this needs the admin role in the organization");
        }
    }

    private Uni<Void> checkLastOwner(SqlConnection tx, MembershipChange change, MembershipState from, MembershipState to) {
        if (!from.activeOwner() || to.activeOwner()) {
            return Uni.createFrom().voidItem();
        }
        return repository.countOtherActiveOwners(tx, change.orgId(), change.userId()).map(others -> {
            if (others == 0) {
                throw ProblemException.conflict("last-owner",
                        "the organization's last owner cannot be removed, deactivated or demoted; make another owner first");
            }
            return null;
        });
    }

    /**
     * Locks the org's memberships (as every change does) and checks that one more seat is free: for an invitation,
     * which holds its seat while pending. 404 when the org does not exist, 409 {@code seat-limit} when it is full.
     */
    public Uni<Void> holdSeat(SqlConnection tx, UUID orgId) {
        return lockOrg(tx, orgId).chain(() -> checkSeatCap(tx, orgId, MembershipState.NONE,
                new MembershipState(Role.MEMBER, MembershipState.ACTIVE)));
    }

    /** Locks the org's memberships until the transaction ends; 404 when the org does not exist. */
    private Uni<Void> lockOrg(SqlConnection tx, UUID orgId) {
        return repository.lockOrg(tx, orgId).invoke(exists -> ProblemException.requireExists(exists, "organization"))
                .replaceWithVoid();
    }

    /** The member; 404 when there is none in the org. */
    public Uni<Member> find(UUID orgId, UUID userId) {
        return repository.find(orgId, userId).plug(ProblemException.orNotFound("member"));
    }

    /** A page of the org's members of {@code status}, newest first. */
    public Uni<Page<Member>> list(UUID orgId, String status, Cursor after, int limit) {
        return repository.list(orgId, status, after, Page.fetchSize(limit))
                .map(rows -> Page.of(rows, limit, m -> new Cursor(m.createdAt(), m.userId()), m -> m));
    }

    /** A page of the org's membership history, newest first, after entry {@code beforeId} (null: from the newest). */
    public Uni<Page<HistoryEntry>> history(UUID orgId, Long beforeId, int limit) {
        return repository.history(orgId, beforeId, Page.fetchSize(limit))
                .map(rows -> Page.ofSequence(rows, limit, HistoryEntry::id));
    }

    /** Whether the org is flagged as having no active owner. */
    public Uni<Boolean> ownerMissing(UUID orgId) {
        return repository.ownerMissing(orgId);
    }

    /** For operators: orgs without an active owner, newest flag first. */
    public Uni<List<FlaggedOrg>> ownerMissing(int limit) {
        return repository.ownerMissing(limit);
    }

    /** For operators: orgs with more active members than seats, newest flag first. */
    public Uni<List<FlaggedOrg>> overSeatCap(int limit) {
        return repository.overSeatCap(limit);
    }

    /** Seats taken are the active members and the pending invitations (each holds the seat its acceptance takes). */
    private Uni<Void> checkSeatCap(SqlConnection tx, UUID orgId, MembershipState from, MembershipState to) {
        if (from.active() || !to.active()) {
            return Uni.createFrom().voidItem();
        }
        return repository.seatCap(tx, orgId).chain(cap -> cap == null ? Uni.createFrom().voidItem()
                : repository.countSeatsTaken(tx, orgId).map(taken -> {
                    if (taken >= cap) {
                        throw ProblemException.conflict("seat-limit", "the organization's plan allows " + cap
                                + " active members and all seats are taken (pending invitations hold theirs)");
                    }
                    return null;
                }));
    }

    private static String eventType(MembershipState from, MembershipState to) {
        if (!from.exists()) {
            return "member.added";
        }
        return to.exists() ? "member.updated" : "member.removed";
    }
}
