package dev.huddle.platform.tenancy;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;

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
 * The annotations are read once per resource method and cached.
 */
public class OrgAccessFilter {

    /** The path parameter naming the org; every org-scoped path has it. */
    public static final String ORG_ID_PARAM = "orgId";

    private static final Map<Method, Optional<Role>> REQUIRED = new ConcurrentHashMap<>();

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

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Uni<Void> guard(ContainerRequestContext request, ResourceInfo resourceInfo) {
        Role minimum = requiredRole(resourceInfo);
        if (minimum == null) {
            return Uni.createFrom().voidItem();
        }
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

    /** The role an operation needs: its method's annotation, else its class's; null when not org-scoped. */
    public static Role requiredRole(ResourceInfo resourceInfo) {
        Method method = resourceInfo.getResourceMethod();
        if (method == null) {
            return null;
        }
        return REQUIRED.computeIfAbsent(method, m -> Optional.ofNullable(roleOn(m))
                .or(() -> Optional.ofNullable(roleOn(resourceInfo.getResourceClass())))).orElse(null);
    }

    /** The role an annotated method or class requires, or null. */
    public static Role roleOn(AnnotatedElement element) {
        if (element.isAnnotationPresent(RequiresOwner.class)) {
            return Role.OWNER;
        }
        if (element.isAnnotationPresent(RequiresAdmin.class)) {
            return Role.ADMIN;
        }
        if (element.isAnnotationPresent(RequiresMember.class)) {
            return Role.MEMBER;
        }
        return null;
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
