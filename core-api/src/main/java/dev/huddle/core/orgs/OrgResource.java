package dev.huddle.core.orgs;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.huddle.core.users.UserService;
import dev.huddle.platform.paging.Cursor;
import dev.huddle.platform.paging.Page;
import dev.huddle.platform.problem.Problem;
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
    private final UserService users;
    private final OrgContext orgContext;
    private final SecurityIdentity identity;

    public OrgResource(OrgService service, UserService users, OrgContext orgContext, SecurityIdentity identity) {
        this.service = service;
        this.users = users;
        this.orgContext = orgContext;
        this.identity = identity;
    }

    @GET
    @Authenticated
    @Operation(summary = "The caller's organizations", description = "Those the caller is an active member of, "
            + "with the caller's role in each, the most recently joined first. Keyset-paginated: pass nextCursor back "
            + "as cursor for the next page.")
    public Uni<Page<OrgResponse>> mine(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit,
            @QueryParam("cursor") String cursor) {
        Cursor after = Cursor.decode(cursor);
        return caller().chain(userId -> userId == null ? Uni.createFrom().item(new Page<>(List.of(), null))
                : service.mine(userId, after, limit));
    }

    @POST
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an organization", description = "The caller becomes its owner. The caller's "
            + "user must have been synced from WorkOS (409 user-not-synced otherwise). settings is at most 16384 bytes "
            + "as compact JSON and nests at most 8 levels (400 otherwise). A user may create "
            + "`huddle.orgs.max-created-per-day` organizations in any 24 hours (20 by default; 429 with Retry-After "
            + "over it) and create one only while owning fewer than `huddle.orgs.max-owned` (100 by default; 409 "
            + "org-limit otherwise).")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "409", description = "The caller's user is not known yet (user-not-synced), or owns as many organizations as one may (org-limit)")
    @APIResponse(responseCode = "429", description = "Too many organizations created in 24 hours, or too many writes; retry after Retry-After seconds", headers = @Header(name = "Retry-After", description = "Seconds until a creation is accepted again", schema = @Schema(type = SchemaType.INTEGER)), content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<Response> create(@Valid @NotNull CreateOrgRequest request) {
        return caller().chain(userId -> {
            if (userId == null) {
                return Uni.createFrom().failure(ProblemException.conflict("user-not-synced",
                        "your user has not been synced from WorkOS yet; try again in a moment"));
            }
            return service.createByUser(request.name(), request.settings(), userId)
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
        return service.find(orgId).map(org -> OrgResponse.of(org, role));
    }

    @PATCH
    @Path("/{orgId}")
    @RequiresAdmin
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rename an organization or replace its settings", description = "settings is at most 16384 "
            + "bytes as compact JSON and nests at most 8 levels (400 otherwise).")
    public Uni<OrgResponse> update(@PathParam("orgId") UUID orgId, @Valid @NotNull UpdateOrgRequest request) {
        String role = orgContext.membership().role().value();
        return service.update(orgId, request.name(), request.settings()).map(org -> OrgResponse.of(org, role));
    }

    private Uni<UUID> caller() {
        return users.idOf(identity.getPrincipal().getName());
    }
}
