package dev.huddle.core.invitations;

import java.net.URI;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.huddle.core.workos.WorkOsResponses;
import dev.huddle.platform.paging.Cursor;
import dev.huddle.platform.paging.Page;
import dev.huddle.platform.tenancy.OrgContext;
import dev.huddle.platform.tenancy.RequiresAdmin;
import io.smallrye.mutiny.Uni;

@Path("/v1/orgs/{orgId}/invitations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Invitations")
public class InvitationResource {

    private final InvitationService invitations;
    private final OrgContext orgContext;

    public InvitationResource(InvitationService invitations, OrgContext orgContext) {
        this.invitations = invitations;
        this.orgContext = orgContext;
    }

    @POST
    @RequiresAdmin
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Invite someone by email", description = "The person joins only by accepting: through "
            + "WorkOS's email when WorkOS manages the organization, else with POST /v1/invitations/{id}/accept. "
            + "The answer is the same whether or not the address has an account. A pending invitation holds a seat: "
            + "refused with 409 when the plan's seats (active members and pending invitations) are all taken.")
    @APIResponse(responseCode = "201", description = "Invited")
    @APIResponse(responseCode = "403", description = "Admins only")
    @APIResponse(responseCode = "409", description = "No seat left, or an invitation to this address is pending")
    @Extension(name = WorkOsResponses.CALLS_WORKOS, value = "true")
    public Uni<Response> invite(@PathParam("orgId") UUID orgId, @Valid @NotNull CreateInvitationRequest request) {
        return invitations.invite(orgId, orgContext.membership().userId(), request.email(), request.role())
                .map(created -> Response.created(URI.create("/v1/orgs/" + orgId + "/invitations/" + created.id()))
                        .entity(InvitationResponse.of(created)).build());
    }

    @GET
    @RequiresAdmin
    @Operation(summary = "The org's pending invitations, newest first", description = "Keyset-paginated.")
    public Uni<Page<InvitationResponse>> list(@PathParam("orgId") UUID orgId,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit,
            @QueryParam("cursor") String cursor) {
        return invitations.pending(orgId, Cursor.decode(cursor), Page.fetchSize(limit))
                .map(rows -> Page.of(rows, limit, i -> new Cursor(i.createdAt(), i.id()), InvitationResponse::of));
    }

    @POST
    @Path("/{invitationId}/revoke")
    @RequiresAdmin
    @Operation(summary = "Revoke a pending invitation", description = "In WorkOS first when WorkOS sent it; its seat "
            + "is free again.")
    @APIResponse(responseCode = "200", description = "The invitation, now revoked")
    @APIResponse(responseCode = "403", description = "Admins only")
    @APIResponse(responseCode = "409", description = "Not pending any more")
    @Extension(name = WorkOsResponses.CALLS_WORKOS, value = "true")
    public Uni<InvitationResponse> revoke(@PathParam("orgId") UUID orgId, @PathParam("invitationId") UUID id) {
        return invitations.revoke(orgId, id).map(InvitationResponse::of);
    }

    @POST
    @Path("/{invitationId}/resend")
    @RequiresAdmin
    @Operation(summary = "Send a pending invitation again", description = "Through WorkOS, which sent it.")
    @APIResponse(responseCode = "200", description = "The invitation")
    @APIResponse(responseCode = "403", description = "Admins only")
    @APIResponse(responseCode = "409", description = "Not pending, or not sent by WorkOS")
    @Extension(name = WorkOsResponses.CALLS_WORKOS, value = "true")
    public Uni<InvitationResponse> resend(@PathParam("orgId") UUID orgId, @PathParam("invitationId") UUID id) {
        return invitations.resend(orgId, id).map(InvitationResponse::of);
    }
}
