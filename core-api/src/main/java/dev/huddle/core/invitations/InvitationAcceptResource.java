package dev.huddle.core.invitations;

import java.util.UUID;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

@Path("/v1/invitations/{invitationId}/accept")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Invitations")
public class InvitationAcceptResource {

    private final InvitationService invitations;
    private final SecurityIdentity identity;

    public InvitationAcceptResource(InvitationService invitations, SecurityIdentity identity) {
        this.invitations = invitations;
        this.identity = identity;
    }

    @POST
    @Authenticated
    @Operation(summary = "Accept an invitation to your own address", description = "For invitations WorkOS did not "
            + "send (WorkOS not configured, or an organization it does not manage): the caller becomes an active "
            + "member with the invitation's role. Their account's address must be the invited one, and verified.")
    @APIResponse(responseCode = "200", description = "The invitation, now accepted")
    @APIResponse(responseCode = "404", description = "No pending invitation to the caller's address with this id")
    @APIResponse(responseCode = "409", description = "Sent by WorkOS (accept it there), the address is not verified, "
            + "already a member, or no seat left")
    public Uni<InvitationResponse> accept(@PathParam("invitationId") UUID id) {
        return invitations.accept(id, identity.getPrincipal().getName()).map(InvitationResponse::of);
    }
}
