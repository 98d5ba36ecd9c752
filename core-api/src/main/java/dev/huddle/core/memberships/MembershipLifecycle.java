package dev.huddle.core.memberships;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import dev.huddle.core.identity.WorkOsApiException;
import dev.huddle.core.identity.WorkOsUserManagementClient;
import dev.huddle.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Membership changes asked through our API, for memberships WorkOS may manage. When a change deactivates or
 * reactivates a membership that WorkOS manages (it has a WorkOS membership id), WorkOS is changed first
 * ({@code PUT /user_management/organization_memberships/{id}/deactivate} or {@code /reactivate}), then the change is
 * written locally through the single write path, in one transaction that holds the org's membership lock across the
 * WorkOS call:
 * <ul>
 * <li>the rules (roles, last owner, seat cap) are checked before WorkOS is called, so WorkOS is never changed for a
 * change we refuse;</li>
 * <li>WorkOS failing writes nothing here: 503 {@code workos-unavailable} when it may work again (no answer in
 * {@code huddle.memberships.workos-timeout}, 429 with its {@code Retry-After}, 5xx), 502 when it answered something
 * unusable, 409 {@code membership-pending} when it refuses because the membership is pending there;</li>
 * <li>WorkOS's {@code updated_at} of the membership after the change is stored with it, so the
 * {@code organization_membership.updated} event WorkOS then emits (the echo) finds the same state and the same
 * {@code updated_at} and changes nothing: one history row, one seat sync. An echo the sync applies while the WorkOS
 * call is under way waits for the org's lock and then finds the change already made.</li>
 * </ul>
 * Memberships WorkOS does not manage (created through our API: no WorkOS membership id) are ours alone and change
 * locally only. When WorkOS answers 404 for the membership's id, it no longer has it (deleted there; its deleted
 * event is on its way): the change is made locally only, logged, and the link is kept (the sync's deleted event
 * removes the membership). Role changes and removals through our API are local only (not sent to WorkOS).
 */
@ApplicationScoped
public class MembershipLifecycle {

    private static final Logger LOG = Logger.getLogger(MembershipLifecycle.class);

    private final Pool pool;
    private final MembershipService memberships;
    private final MembershipRepository repository;
    private final WorkOsUserManagementClient workOs;
    private final MembershipConfig config;

    public MembershipLifecycle(Pool pool, MembershipService memberships, MembershipRepository repository,
            WorkOsUserManagementClient workOs, MembershipConfig config) {
        this.pool = pool;
        this.memberships = memberships;
        this.repository = repository;
        this.workOs = workOs;
        this.config = config;
    }

    /** Applies an API change in its own transaction, in WorkOS first when it (de)activates a WorkOS membership. */
    public Uni<MembershipState> apply(MembershipChange change) {
        return pool.withTransaction(tx -> memberships.apply(tx, change, (t, from, to) -> inWorkOs(t, change, from, to)));
    }

    private Uni<Void> inWorkOs(SqlConnection tx, MembershipChange change, MembershipState from, MembershipState to) {
        if (!from.exists() || !to.exists() || Objects.equals(from.status(), to.status())
                || !(to.active() || MembershipState.INACTIVE.equals(to.status()))) {
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
            Duration timeout = config.workosTimeout();
            Uni<JsonObject> call = to.active() ? workOs.reactivate(link, timeout) : workOs.deactivate(link, timeout);
            return call
                    .chain(answer -> {
                        OffsetDateTime updatedAt = timestamp(answer.getValue("updated_at"));
                        return updatedAt == null ? Uni.createFrom().voidItem()
                                : repository.stampWorkos(tx, change.orgId(), change.userId(), updatedAt);
                    })
                    .onFailure(WorkOsApiException.class)
                    .recoverWithUni(e -> refused((WorkOsApiException) e, link, to.active()));
        });
    }

    private static Uni<Void> refused(WorkOsApiException e, String link, boolean reactivate) {
        String what = reactivate ? "reactivate" : "deactivate";
        if (e.status() == 404) {
            LOG.infof("WorkOS does not know membership %s any more (%s); the change is made here only", link,
                    e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (e.status() == 400 && e.code() != null && e.code().endsWith("_pending_organization_membership")) {
            return Uni.createFrom().failure(ProblemException.conflict("membership-pending",
                    "WorkOS has this membership as pending (an invitation not yet accepted): it cannot be " + what + "d"));
        }
        LOG.warnf("WorkOS could not %s membership %s: %s", what, link, e.getMessage());
        if (e.transientFailure()) {
            Map<String, String> headers = e.retryAt() == null ? Map.of()
                    : Map.of("Retry-After", Long.toString(seconds(e.retryAt())));
            return Uni.createFrom().failure(new ProblemException(Response.Status.SERVICE_UNAVAILABLE,
                    "workos-unavailable", "WorkOS did not take the change; nothing was changed, try again", List.of(),
                    headers));
        }
        return Uni.createFrom().failure(new ProblemException(Response.Status.BAD_GATEWAY, "workos-unavailable",
                "WorkOS did not take the change; nothing was changed"));
    }

    private static long seconds(Instant at) {
        long millis = Duration.between(Instant.now(), at).toMillis();
        return millis <= 0 ? 0 : (millis + 999) / 1000;
    }

    private static OffsetDateTime timestamp(Object value) {
        if (!(value instanceof String s) || s.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
