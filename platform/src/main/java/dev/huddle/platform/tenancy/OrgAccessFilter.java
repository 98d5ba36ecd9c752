package dev.huddle.platform.tenancy;

import java.util.UUID;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import dev.huddle.platform.gate.Entitlement;
import dev.huddle.platform.gate.SubscriptionGate;
import dev.huddle.platform.problem.ProblemException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/**
 * The tenant guard. For an operation annotated {@link RequiresMember}, {@link RequiresAdmin} or
 * {@link RequiresOwner}, in this order: no valid token -> 401; an {@code orgId} that is not a UUID -> 400; the
 * caller not an active member of that org -> 404 (an org you are not in looks like one that does not exist); the
 * org not entitled by its subscription -> 402 ({@link SubscriptionGate}, when enforced); role too low -> 403. The membership is
 * then in {@link OrgContext}.
 * <p>
 * The annotations are name bindings: Quarkus REST binds each of the three guard filters below to the operations
 * carrying its annotation when it builds the application, so nothing reads annotations at run time (native-friendly,
 * no reflection). One annotation per operation (or per class).
 */
public class OrgAccessFilter {

    /** The path parameter naming the org; every org-scoped path has it. */
    public static final String ORG_ID_PARAM = "orgId";

    private static final String GRACE_PROPERTY = OrgAccessFilter.class.getName() + ".grace";

    private final CurrentIdentityAssociation identity;
    private final MembershipRepository memberships;
    private final OrgContext orgContext;
    private final SubscriptionGate gate;

    public OrgAccessFilter(CurrentIdentityAssociation identity, MembershipRepository memberships, OrgContext orgContext,
            SubscriptionGate gate) {
        this.identity = identity;
        this.memberships = memberships;
        this.orgContext = orgContext;
        this.gate = gate;
    }

    @RequiresMember
    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Uni<Void> guardMember(ContainerRequestContext request) {
        return guard(request, Role.MEMBER);
    }

    @RequiresAdmin
    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Uni<Void> guardAdmin(ContainerRequestContext request) {
        return guard(request, Role.ADMIN);
    }

    @RequiresOwner
    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Uni<Void> guardOwner(ContainerRequestContext request) {
        return guard(request, Role.OWNER);
    }

    private Uni<Void> guard(ContainerRequestContext request, Role minimum) {
        return identity.getDeferredIdentity().chain(caller -> {
            if (caller.isAnonymous()) {
                return Uni.createFrom().failure(new UnauthorizedException());
            }
            UUID orgId = parseOrgId(request.getUriInfo().getPathParameters().getFirst(ORG_ID_PARAM));
            return memberships.findActive(caller.getPrincipal().getName(), orgId).chain(membership -> {
                if (membership == null) {
                    return Uni.createFrom().failure(OrgContext.orgNotFound());
                }
                return gate.check(orgId, request.getUriInfo().getPath()).map(entitlement -> {
                    if (entitlement != null && entitlement.inGrace()) {
                        request.setProperty(GRACE_PROPERTY, entitlement);
                    }
                    if (!membership.role().atLeast(minimum)) {
                        throw ProblemException.forbidden("this needs the " + minimum.value() + " role in the organization");
                    }
                    orgContext.set(membership);
                    return null;
                });
            });
        });
    }

    /** Tells a client of a past_due org inside its grace period, on every response. */
    @ServerResponseFilter
    public void graceWarning(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(GRACE_PROPERTY) instanceof Entitlement e) {
            response.getHeaders().putSingle(SubscriptionGate.STATUS_HEADER, "past_due; grace-ends-at=" + e.graceEndsAt());
        }
    }

    private static UUID parseOrgId(String value) {
        try {
            if (value == null || value.length() != 36) {
                throw new IllegalArgumentException();
            }
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(ORG_ID_PARAM, "must be a UUID");
        }
    }
}
