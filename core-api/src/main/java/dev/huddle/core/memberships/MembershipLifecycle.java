package dev.huddle.core.memberships;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import dev.huddle.core.workos.WorkOs;
import dev.huddle.core.workos.WorkOsApi;
import dev.huddle.core.workos.WorkOsApiException;
import dev.huddle.core.workos.WorkOsProblems;
import dev.huddle.core.workos.WorkOsRoles;
import dev.huddle.core.workos.WorkOsWire;
import dev.huddle.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Membership changes asked through our API, for memberships WorkOS may manage. When a change of a membership that
 * WorkOS manages (it has a WorkOS membership id) deactivates, reactivates, changes the role of or removes it, WorkOS
 * is changed first, then the change is written locally through the single write path, in one transaction that holds
 * the org's membership lock across the WorkOS calls:
 * <ul>
 * <li>deactivate and reactivate: {@code PUT /user_management/organization_memberships/{id}/deactivate} or
 * {@code /reactivate}; a role change: {@code PUT /user_management/organization_memberships/{id}} with
 * {@code {"role_slug": ...}} ({@link WorkOsRoles}); removal: {@code DELETE /user_management/organization_memberships/{id}}.
 * A change of both status and role makes two calls, the role changed while the membership is active (before a
 * deactivation, after a reactivation);</li>
 * <li>the rules (roles, last owner, seat cap) are checked before WorkOS is called, so WorkOS is never changed for a
 * change we refuse;</li>
 * <li>WorkOS failing writes nothing here: 503 {@code workos-unavailable} when it may work again (no answer in
 * {@code huddle.memberships.workos-timeout}, 429 with its {@code Retry-After}, 5xx), 502 when it answered something
 * unusable, 409 {@code membership-pending} when it refuses a (de)activation because the membership is pending there.
 * When the second of two calls fails, WorkOS keeps the first; its event brings that half here;</li>
 * <li>WorkOS's {@code updated_at} of the membership after the change is stored with it, so the
 * {@code organization_membership.updated} event WorkOS then emits (the echo) finds the same state and the same
 * {@code updated_at} and changes nothing: one history row, one seat sync when the active members changed. An echo
 * the sync applies while the WorkOS call is under way waits for the org's lock and then finds the change already
 * made;</li>
 * <li>a removed membership's WorkOS id is tombstoned ({@link MembershipRepository#tombstone}) with the removal, so its
 * {@code organization_membership.deleted} echo changes nothing and no replayed or late event of it brings it back.</li>
 * </ul>
 * Memberships WorkOS does not manage (created through our API: no WorkOS membership id) are ours alone and change
 * locally only. When WorkOS answers 404 for the membership's id, it no longer has it (deleted there; its deleted
 * event is on its way): the change is made locally only, logged, and the link is kept (the sync's deleted event
 * removes the membership); a removal is tombstoned all the same. Adding a member (a membership that did not exist)
 * stays local: WorkOS memberships come from WorkOS.
 */
@ApplicationScoped
public class MembershipLifecycle {

    private static final Logger LOG = Logger.getLogger(MembershipLifecycle.class);

    private final Pool pool;
    private final MembershipService memberships;
    private final MembershipRepository repository;
    private final WorkOs workOs;
    private final MembershipConfig config;

    public MembershipLifecycle(Pool pool, MembershipService memberships, MembershipRepository repository,
            WorkOs workOs, MembershipConfig config) {
        this.pool = pool;
        this.memberships = memberships;
        this.repository = repository;
        this.workOs = workOs;
        this.config = config;
    }

    /** Applies an API change in its own transaction, in WorkOS first when it changes a WorkOS membership. */
    public Uni<MembershipState> apply(MembershipChange change) {
        return pool.withTransaction(tx -> memberships.apply(tx, change, (t, from, to) -> inWorkOs(t, change, from, to)));
    }

    /** One call to WorkOS: what it does (for messages), and the call. */
    private record Call(String what, Function<WorkOsApi, Uni<WorkOsWire.Membership>> send) {
    }

    private Uni<Void> inWorkOs(SqlConnection tx, MembershipChange change, MembershipState from, MembershipState to) {
        if (!from.exists()) {
            return Uni.createFrom().voidItem();
        }
        boolean removes = !to.exists();
        boolean status = !removes && !Objects.equals(from.status(), to.status())
                && (to.active() || MembershipState.INACTIVE.equals(to.status()));
        boolean role = !removes && from.role() != to.role();
        if (!removes && !status && !role) {
            return Uni.createFrom().voidItem();
        }
        return repository.workosLink(tx, change.orgId(), change.userId()).chain(link -> {
            if (link == null) {
                return Uni.createFrom().voidItem();
            }
            if (!workOs.configured()) {
                return Uni.createFrom().failure(new ProblemException(Response.Status.SERVICE_UNAVAILABLE,
                        "not-configured", "WorkOS is not configured on this server: this member is managed there"));
            }
            if (removes) {
                return workOs.call("remove membership " + link, config.workosTimeout(), api -> api.deleteMembership(link))
                        .onFailure(WorkOsApiException.class)
                        .recoverWithUni(e -> refused((WorkOsApiException) e, link, "remove"))
                        .chain(() -> repository.tombstone(tx, link, "api:" + change.actor().userId()))
                        .replaceWithVoid();
            }
            List<Call> calls = new ArrayList<>(2);
            Call statusCall = to.active() ? new Call("reactivate", api -> api.reactivate(link))
                    : new Call("deactivate", api -> api.deactivate(link));
            Call roleCall = new Call("change the role of",
                    api -> api.updateMembership(link, new WorkOsWire.RoleUpdate(WorkOsRoles.slug(to.role()))));
            if (status && to.active()) {
                calls.add(statusCall);
            }
            if (role) {
                calls.add(roleCall);
            }
            if (status && !to.active()) {
                calls.add(statusCall);
            }
            return inOrder(tx, change, link, calls, 0);
        });
    }

    private Uni<Void> inOrder(SqlConnection tx, MembershipChange change, String link, List<Call> calls, int index) {
        if (index >= calls.size()) {
            return Uni.createFrom().voidItem();
        }
        Call call = calls.get(index);
        return workOs.call(call.what() + " membership " + link, config.workosTimeout(), call.send())
                .chain(answer -> {
                    OffsetDateTime updatedAt = answer == null ? null : WorkOsWire.timestamp(answer.updatedAt());
                    return updatedAt == null ? Uni.createFrom().voidItem()
                            : repository.stampWorkos(tx, change.orgId(), change.userId(), updatedAt);
                })
                .onFailure(WorkOsApiException.class)
                .recoverWithUni(e -> refused((WorkOsApiException) e, link, call.what()))
                .chain(() -> inOrder(tx, change, link, calls, index + 1));
    }

    private static Uni<Void> refused(WorkOsApiException e, String link, String what) {
        if (e.status() == 404) {
            LOG.infof("WorkOS does not know membership %s any more (%s); the change is made here only", link,
                    e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (e.status() == 400 && e.code() != null && e.code().endsWith("_pending_organization_membership")) {
            return Uni.createFrom().failure(ProblemException.conflict("membership-pending",
                    "WorkOS has this membership as pending (an invitation not yet accepted) and refuses to " + what + " it"));
        }
        LOG.warnf("WorkOS could not %s membership %s: %s", what, link, e.getMessage());
        return Uni.createFrom().failure(WorkOsProblems.unavailable(e, "WorkOS did not take the change; nothing was changed"));
    }

}
