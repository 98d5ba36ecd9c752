package dev.huddle.platform;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.huddle.platform.tenancy.OrgContext;
import dev.huddle.platform.tenancy.RequiresAdmin;
import dev.huddle.platform.tenancy.RequiresMember;
import dev.huddle.platform.tenancy.RequiresOwner;

/** Test-only endpoints exercising the guard and the error mappers, as a service's resources would. */
@Path("/v1/test/orgs/{orgId}")
@Produces(MediaType.APPLICATION_JSON)
public class GuardedEchoResource {

    public record Item(@NotBlank @Size(max = 20) String name, @NotNull UUID ref, @Min(1) @Max(10) int count,
            List<@NotBlank String> tags) {
    }

    public record Echo(UUID orgId, String role, Item item) {
    }

    private final OrgContext orgContext;

    public GuardedEchoResource(OrgContext orgContext) {
        this.orgContext = orgContext;
    }

    @GET
    @RequiresMember
    public Echo read(@PathParam("orgId") UUID orgId, @QueryParam("n") @Min(1) Integer minimum) {
        return new Echo(orgId, orgContext.membership().role().value(), null);
    }

    @POST
    @RequiresAdmin
    @Consumes(MediaType.APPLICATION_JSON)
    public Echo write(@PathParam("orgId") UUID orgId, @Valid @NotNull Item item) {
        return new Echo(orgId, orgContext.membership().role().value(), item);
    }

    @POST
    @Path("/owners-only")
    @RequiresOwner
    public Echo ownersOnly(@PathParam("orgId") UUID orgId) {
        return new Echo(orgId, orgContext.membership().role().value(), null);
    }

    @GET
    @Path("/things/{thingId}")
    @RequiresMember
    public Echo thing(@PathParam("orgId") UUID orgId, @PathParam("thingId") UUID thingId) {
        return new Echo(orgId, thingId.toString(), null);
    }
}
