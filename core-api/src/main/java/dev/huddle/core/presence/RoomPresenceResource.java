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

import dev.huddle.platform.problem.ProblemException;
import dev.huddle.platform.tenancy.RequiresMember;
import io.smallrye.mutiny.Uni;

@Path("/v1/orgs/{orgId}/rooms/{roomId}/presence")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Presence")
public class RoomPresenceResource {

    private final PresenceRepository presence;

    public RoomPresenceResource(PresenceRepository presence) {
        this.presence = presence;
    }

    @GET
    @RequiresMember
    @Operation(summary = "Who is in a room", description = "The participant sessions in the room now, as LiveKit "
            + "reports them (webhooks, reconciled periodically). One user on two devices is two sessions. Any member "
            + "may read it; a room of another organization is 404.")
    @APIResponse(responseCode = "200", description = "The room's participants, earliest joined first")
    public Uni<RoomPresenceResponse> get(@PathParam("orgId") UUID orgId, @PathParam("roomId") UUID roomId) {
        return presence.roomInOrg(orgId, roomId).chain(exists -> {
            if (!exists) {
                return Uni.createFrom().failure(ProblemException.notFound("room"));
            }
            return presence.inRoom(orgId, roomId).map(sessions -> RoomPresenceResponse.of(roomId, sessions));
        });
    }
}
