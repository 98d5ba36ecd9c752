package dev.huddle.core.presence;

import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.huddle.platform.tenancy.RequiresMember;
import io.smallrye.mutiny.Uni;

@Path("/v1/orgs/{orgId}/presence")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Presence")
public class OrgPresenceResource {

    private final PresenceRepository presence;

    public OrgPresenceResource(PresenceRepository presence) {
        this.presence = presence;
    }

    @GET
    @RequiresMember
    @Operation(summary = "Who is online in the organization", description = "Everyone in at least one of the "
            + "organization's rooms now, with the rooms they are in, ordered by identity. Not paginated: it is a "
            + "snapshot bounded by who is connected. Any member may read it.")
    @APIResponse(responseCode = "200", description = "The users online, with their rooms")
    public Uni<OrgPresenceResponse> get(@PathParam("orgId") UUID orgId) {
        return presence.onlineInOrg(orgId).map(sessions -> OrgPresenceResponse.of(orgId, sessions));
    }
}
