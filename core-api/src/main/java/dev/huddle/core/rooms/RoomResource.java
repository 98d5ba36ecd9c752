package dev.huddle.core.rooms;

import java.net.URI;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.huddle.platform.paging.Cursor;
import dev.huddle.platform.paging.Page;
import dev.huddle.platform.tenancy.OrgContext;
import dev.huddle.platform.tenancy.RequiresAdmin;
import dev.huddle.platform.tenancy.RequiresMember;
import io.smallrye.mutiny.Uni;

@Path("/v1/orgs/{orgId}/rooms")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Rooms")
public class RoomResource {

    private final RoomService service;
    private final OrgContext orgContext;

    public RoomResource(RoomService service, OrgContext orgContext) {
        this.service = service;
        this.orgContext = orgContext;
    }

    @GET
    @RequiresMember
    @Operation(summary = "The org's rooms, newest first", description = "Keyset-paginated.")
    public Uni<Page<Room>> list(@PathParam("orgId") UUID orgId,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit,
            @QueryParam("cursor") String cursor) {
        return service.list(orgId, Cursor.decode(cursor), limit);
    }

    @POST
    @RequiresAdmin
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a room", description = "It gets a unique LiveKit room name.")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "403", description = "Admins and owners only")
    public Uni<Response> create(@PathParam("orgId") UUID orgId, @Valid @NotNull RoomRequest request) {
        return service.create(orgId, request.name(), orgContext.membership().userId())
                .map(room -> Response.created(URI.create("/v1/orgs/" + orgId + "/rooms/" + room.id())).entity(room).build());
    }

    @GET
    @Path("/{roomId}")
    @RequiresMember
    @Operation(summary = "One room")
    public Uni<Room> get(@PathParam("orgId") UUID orgId, @PathParam("roomId") UUID roomId) {
        return service.get(orgId, roomId);
    }

    @PATCH
    @Path("/{roomId}")
    @RequiresAdmin
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rename a room")
    public Uni<Room> rename(@PathParam("orgId") UUID orgId, @PathParam("roomId") UUID roomId,
            @Valid @NotNull RoomRequest request) {
        return service.rename(orgId, roomId, request.name());
    }

    @DELETE
    @Path("/{roomId}")
    @RequiresAdmin
    @Operation(summary = "Delete a room", description = "Its messages and presence go with it; its recordings "
            + "stay with the org, no longer linked to a room.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", description = "Admins and owners only")
    public Uni<Void> delete(@PathParam("orgId") UUID orgId, @PathParam("roomId") UUID roomId) {
        return service.delete(orgId, roomId);
    }
}
