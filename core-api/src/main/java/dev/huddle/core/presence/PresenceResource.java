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

/** Who is online: in the org's rooms, or in one room. Snapshots of {@code core.room_presence}, for any member. */
@Path("/v1/orgs/{orgId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Presence")
public class PresenceResource {

    private final PresenceService presence;

    public PresenceResource(PresenceService presence) {
        this.presence = presence;
    }

    @GET
    @Path("/presence")
    @RequiresMember
    @Operation(summary = "Who is online in the organization", description = "Everyone in at least one of the "
            + "organization's rooms now, with the rooms they are in, ordered by identity. Not paginated: it is a "
            + "snapshot bounded by who is connected. Any member may read it.")
    @APIResponse(responseCode = "200", description = "The users online, with their rooms")
    public Uni<OrgPresenceResponse> org(@PathParam("orgId") UUID orgId) {
        return presence.online(orgId);
    }

    @GET
    @Path("/rooms/{roomId}/presence")
    @RequiresMember
    @Operation(summary = "Who is in a room", description = "The participant sessions in the room now, as LiveKit "
            + "reports them (webhooks, reconciled periodically). One user on two devices is two sessions. Any member "
            + "may read it; a room of another organization is 404.")
    @APIResponse(responseCode = "200", description = "The room's participants, earliest joined first")
    public Uni<RoomPresenceResponse> room(@PathParam("orgId") UUID orgId, @PathParam("roomId") UUID roomId) {
        return presence.inRoom(orgId, roomId);
    }
}
