package dev.huddle.core.orgs;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.huddle.core.memberships.Actor;
import dev.huddle.core.users.UserRepository;
import dev.huddle.platform.problem.ProblemException;
import dev.huddle.platform.tenancy.OrgContext;
import dev.huddle.platform.tenancy.RequiresAdmin;
import dev.huddle.platform.tenancy.RequiresMember;
import dev.huddle.platform.tenancy.Role;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

@Path("/v1/orgs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Organizations")
public class OrgResource {

    private final OrgService service;
    private final OrgRepository orgs;
    private final UserRepository users;
    private final OrgContext orgContext;
    private final SecurityIdentity identity;

    public OrgResource(OrgService service, OrgRepository orgs, UserRepository users, OrgContext orgContext,
            SecurityIdentity identity) {
        this.service = service;
        this.orgs = orgs;
        this.users = users;
        this.orgContext = orgContext;
        this.identity = identity;
    }

    @GET
    @Authenticated
    @Operation(summary = "The caller's organizations", description = "Those the caller is an active member of, "
            + "with the caller's role in each.")
    public Uni<List<OrgResponse>> mine() {
        return caller().chain(userId -> userId == null ? Uni.createFrom().item(List.of()) : service.mine(userId));
    }

    @POST
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an organization", description = "The caller becomes its owner. The caller's "
            + "user must have been synced from WorkOS (409 user-not-synced otherwise).")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "409", description = "The caller's user is not known yet")
    public Uni<Response> create(@Valid @NotNull CreateOrgRequest request) {
        return caller().chain(userId -> {
            if (userId == null) {
                return Uni.createFrom().failure(ProblemException.conflict("user-not-synced",
                        "your user has not been synced from WorkOS yet; try again in a moment"));
            }
            return service.create(request.name(), request.settings(), null, userId, Actor.api(userId, Role.OWNER))
                    .map(org -> Response.created(URI.create("/v1/orgs/" + org.id()))
                            .entity(OrgResponse.of(org, Role.OWNER.value())).build());
        });
    }

    @GET
    @Path("/{orgId}")
    @RequiresMember
    @Operation(summary = "Get an organization", description = "Any active member may read it; anyone else gets 404.")
    @APIResponse(responseCode = "200", description = "The organization")
    public Uni<OrgResponse> get(@PathParam("orgId") UUID orgId) {
        String role = orgContext.membership().role().value();
        return orgs.find(orgId).map(org -> {
            if (org == null) {
                throw ProblemException.notFound("organization");
            }
            return OrgResponse.of(org, role);
        });
    }

    @PATCH
    @Path("/{orgId}")
    @RequiresAdmin
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rename an organization or replace its settings")
    public Uni<OrgResponse> update(@PathParam("orgId") UUID orgId, @Valid @NotNull UpdateOrgRequest request) {
        String role = orgContext.membership().role().value();
        return service.update(orgId, request.name(), request.settings()).map(org -> OrgResponse.of(org, role));
    }

    private Uni<UUID> caller() {
        return users.findByWorkosId(identity.getPrincipal().getName()).map(u -> u == null ? null : u.id());
    }
}
