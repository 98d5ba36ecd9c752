package dev.huddle.core.memberships;

import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.platform.outbox.Channels;
import dev.huddle.platform.outbox.OutboxWriter;
import dev.huddle.platform.problem.ProblemException;
import dev.huddle.platform.tenancy.Role;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The single membership write path. Every change of a membership, from the API, WorkOS or billing, goes through
 * {@link #apply}, which in one transaction: locks the org row (so changes of one org are serialized), checks the
 * rules, writes the membership, appends its history row, tells billing that the org's seats changed (when the
 * set of active members changed) and announces the change on {@code org:<orgId>}.
 * <p>
 * Rules: the org's seat cap (from {@code billing.org_entitlements}; none means unlimited) is never exceeded, not
 * even by concurrent adds; the last active owner can be neither removed, deactivated nor demoted; through the
 * API only an owner may grant, change or take away the owner role, other changes need an admin, and anyone may
 * leave. A change to the current state is a no-op:
 * nothing is written (so a WorkOS echo of our own change does nothing).
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

    public MembershipService(Pool pool, MembershipRepository repository, OutboxWriter outbox) {
        this.pool = pool;
        this.repository = repository;
        this.outbox = outbox;
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
        return repository.lockOrg(tx, change.orgId()).chain(exists -> {
            if (!exists) {
                return Uni.createFrom().failure(ProblemException.notFound("organization"));
            }
            return repository.current(tx, change.orgId(), change.userId());
        }).chain(from -> {
            MembershipState to = change.transition().next(from);
            if (from.equals(to)) {
                return Uni.createFrom().item(from);
            }
            checkRoleRules(change, from, to);
            return checkLastOwner(tx, change, from, to)
                    .chain(() -> checkSeatCap(tx, change.orgId(), from, to))
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
                    .replaceWith(from);
        });
    }

    private static void checkRoleRules(MembershipChange change, MembershipState from, MembershipState to) {
        Actor actor = change.actor();
        if (!actor.isUser()) {
            return;
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

    private Uni<Void> checkSeatCap(SqlConnection tx, UUID orgId, MembershipState from, MembershipState to) {
        if (from.active() || !to.active()) {
            return Uni.createFrom().voidItem();
        }
        return repository.seatCap(tx, orgId).chain(cap -> cap == null ? Uni.createFrom().voidItem()
                : repository.countActive(tx, orgId).map(active -> {
                    if (active >= cap) {
                        throw ProblemException.conflict("seat-limit",
                                "the organization's plan allows " + cap + " active members and all seats are taken");
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
