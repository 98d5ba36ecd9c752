package dev.huddle.core.orgs;

import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.huddle.platform.problem.ProblemException;
import dev.huddle.platform.tenancy.OrgContext;
import dev.huddle.platform.tenancy.RequiresMember;
import io.smallrye.mutiny.Uni;

@Path("/v1/orgs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Organizations")
public class OrgResource {

    private final OrgRepository orgs;
    private final OrgContext orgContext;

    public OrgResource(OrgRepository orgs, OrgContext orgContext) {
        this.orgs = orgs;
        this.orgContext = orgContext;
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
            return new OrgResponse(org.id(), org.name(), org.settings(), role, org.createdAt(), org.updatedAt());
        });
    }
}
