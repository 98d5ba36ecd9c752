package dev.huddle.realtime.tokens;

import java.util.UUID;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.huddle.platform.tenancy.OrgContext;
import dev.huddle.platform.tenancy.RequiresMember;

/**
 * Centrifugo connection tokens. There are no subscription tokens: Centrifugo does not ask the subscribe proxy about a
 * subscription that carries one, so a token would outlive the membership it was given for (docs/REALTIME.md).
 */
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
}
