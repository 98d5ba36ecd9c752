package dev.huddle.realtime.tokens;

import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.huddle.platform.problem.Problem;
import dev.huddle.platform.tenancy.OrgContext;
import dev.huddle.platform.tenancy.RequiresMember;
import io.smallrye.mutiny.Uni;

@Path("/v1/realtime/orgs/{orgId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Realtime")
public class TokenResource {

    private final OrgContext orgContext;
    private final TokenService tokens;

    public TokenResource(OrgContext orgContext, TokenService tokens) {
        this.orgContext = orgContext;
        this.tokens = tokens;
    }

    @POST
    @Path("/connection-token")
    @RequiresMember
    @Operation(summary = "A short-lived Centrifugo connection token for the caller")
    public TokenResponse connectionToken(@PathParam("orgId") UUID orgId) {
        return tokens.connectionToken(orgContext.membership().userId());
    }

    @POST
    @Path("/subscription-token")
    @RequiresMember
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A short-lived Centrifugo subscription token for a channel the caller may subscribe to")
    @APIResponse(responseCode = "200", description = "The token", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "403", description = "Not a channel the caller may subscribe to: of an org they are not "
            + "an active member of, of a room that does not exist, or another member's (forbidden)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<TokenResponse> subscriptionToken(@PathParam("orgId") UUID orgId,
            @NotNull @Valid SubscriptionTokenRequest request) {
        return tokens.subscriptionToken(orgContext.membership().userId(), request.channel());
    }
}
