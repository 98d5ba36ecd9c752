package dev.huddle.core.orgs;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import dev.huddle.core.memberships.Actor;
import dev.huddle.core.memberships.MembershipChange;
import dev.huddle.core.memberships.MembershipService;
import dev.huddle.core.memberships.MembershipState;
import dev.huddle.core.memberships.Transition;
import dev.huddle.platform.outbox.Channels;
import dev.huddle.platform.outbox.OutboxWriter;
import dev.huddle.platform.paging.Cursor;
import dev.huddle.platform.paging.Page;
import dev.huddle.platform.problem.ProblemException;
import dev.huddle.platform.tenancy.Role;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** Organizations, created and changed from the API and (by WorkOS sync) from WorkOS: one service for both. */
@ApplicationScoped
public class OrgService {

    private final Pool pool;
    private final OrgRepository orgs;
    private final MembershipService memberships;
    private final OutboxWriter outbox;
    private final OrgConfig config;

    public OrgService(Pool pool, OrgRepository orgs, MembershipService memberships, OutboxWriter outbox,
            OrgConfig config) {
        this.pool = pool;
        this.orgs = orgs;
        this.memberships = memberships;
        this.outbox = outbox;
        this.config = config;
    }

    /**
     * Creates an org; when {@code ownerUserId} is given, that user becomes its owner through the membership write
     * path, in the same transaction. For WorkOS sync: no caps apply (WorkOS is the source of truth).
     */
    public Uni<Organization> create(String name, Map<String, Object> settings, String workosOrgId, UUID ownerUserId,
            Actor actor) {
        return pool.withTransaction(tx -> insert(tx, name, settings, workosOrgId, ownerUserId, null, actor));
    }

    /**
     * A user creates an org through the API and becomes its owner, within the caps: at most
     * {@code huddle.orgs.max-created-per-day} in any 24 hours (else 429 with Retry-After) and while owning fewer than
     * {@code huddle.orgs.max-owned} (else 409 {@code org-limit}). Settings are bounded ({@link OrgSettings}, else 400).
     */
    public Uni<Organization> createByUser(String name, Map<String, Object> settings, UUID userId) {
        OrgSettings.requireBounded(settings);
        return pool.withTransaction(tx -> orgs.lockCreator(tx, userId).chain(counts -> {
            if (counts.createdToday() >= config.maxCreatedPerDay()) {
                long wait = Math.max(1, counts.freesIn() == null ? 1 : counts.freesIn());
                return Uni.createFrom().failure(new ProblemException(Response.Status.TOO_MANY_REQUESTS, "rate-limited",
                        "you may create at most " + config.maxCreatedPerDay() + " organizations in 24 hours; try again in "
                                + wait + " s",
                        List.of(), Map.of("Retry-After", Long.toString(wait))));
            }
            if (counts.owned() >= config.maxOwned()) {
                return Uni.createFrom().failure(ProblemException.conflict("org-limit", "you own "
                        + counts.owned() + " organizations, the most one user may own; hand one over or delete one first"));
            }
            return insert(tx, name, settings, null, userId, userId, Actor.api(userId, Role.OWNER));
        }));
    }

    private Uni<Organization> insert(SqlConnection tx, String name, Map<String, Object> settings, String workosOrgId,
            UUID ownerUserId, UUID createdBy, Actor actor) {
        return orgs.insert(tx, name.strip(), settings == null ? Map.of() : settings, workosOrgId, createdBy)
                .call(org -> ownerUserId == null ? Uni.createFrom().voidItem()
                        : memberships.apply(tx, new MembershipChange(org.id(), ownerUserId,
                                Transition.to(new MembershipState(Role.OWNER, MembershipState.ACTIVE)), actor)))
                .call(org -> outbox.append(tx, Channels.org(org.id()), "org.created", Map.of("orgId", org.id().toString(),
                        "name", org.name())));
    }

    public Uni<Organization> update(UUID orgId, String name, Map<String, Object> settings) {
        OrgSettings.requireBounded(settings);
        return pool.withTransaction(tx -> orgs.update(tx, orgId, name == null ? null : name.strip(), settings)
                .plug(ProblemException.orNotFound("organization"))
                .call(org -> outbox.append(tx, Channels.org(orgId), "org.updated",
                        Map.of("orgId", orgId.toString(), "name", org.name()))));
    }

    /** The org; 404 when there is none. */
    public Uni<Organization> find(UUID orgId) {
        return orgs.find(orgId).plug(ProblemException.orNotFound("organization"));
    }

    /** The orgs the user is an active member of, with their role in each, newest membership first. */
    public Uni<Page<OrgResponse>> mine(UUID userId, Cursor after, int limit) {
        return orgs.mine(userId, after, Page.fetchSize(limit))
                .map(rows -> Page.of(rows, limit, r -> new Cursor(r.listedAt(), r.org().id()), OrgRepository.Listed::org));
    }
}
