package dev.huddle.core.orgs;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.core.memberships.Actor;
import dev.huddle.core.memberships.MembershipChange;
import dev.huddle.core.memberships.MembershipService;
import dev.huddle.core.memberships.MembershipState;
import dev.huddle.core.memberships.Transition;
import dev.huddle.platform.outbox.Channels;
import dev.huddle.platform.outbox.OutboxWriter;
import dev.huddle.platform.problem.ProblemException;
import dev.huddle.platform.tenancy.Role;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Organizations, created and changed from the API and (by WorkOS sync) from WorkOS: one service for both. */
@ApplicationScoped
public class OrgService {

    private final Pool pool;
    private final OrgRepository orgs;
    private final MembershipService memberships;
    private final OutboxWriter outbox;

    public OrgService(Pool pool, OrgRepository orgs, MembershipService memberships, OutboxWriter outbox) {
        this.pool = pool;
        this.orgs = orgs;
        this.memberships = memberships;
        this.outbox = outbox;
    }

    /**
     * Creates an org; when {@code ownerUserId} is given, that user becomes its owner through the membership write
     * path, in the same transaction.
     */
    public Uni<Organization> create(String name, Map<String, Object> settings, String workosOrgId, UUID ownerUserId,
            Actor actor) {
        return pool.withTransaction(tx -> orgs.insert(tx, name.strip(), settings == null ? Map.of() : settings, workosOrgId)
                .call(org -> ownerUserId == null ? Uni.createFrom().voidItem()
                        : memberships.apply(tx, new MembershipChange(org.id(), ownerUserId,
                                Transition.to(new MembershipState(Role.OWNER, MembershipState.ACTIVE)), actor)))
                .call(org -> outbox.append(tx, Channels.org(org.id()), "org.created", Map.of("orgId", org.id().toString(),
                        "name", org.name()))));
    }

    public Uni<Organization> update(UUID orgId, String name, Map<String, Object> settings) {
        return pool.withTransaction(tx -> orgs.update(tx, orgId, name == null ? null : name.strip(), settings)
                .call(org -> {
                    if (org == null) {
                        return Uni.createFrom().failure(ProblemException.notFound("organization"));
                    }
                    return outbox.append(tx, Channels.org(orgId), "org.updated",
                            Map.of("orgId", orgId.toString(), "name", org.name()));
                }));
    }

    public Uni<List<OrgResponse>> mine(UUID userId) {
        return orgs.mine(userId);
    }
}
