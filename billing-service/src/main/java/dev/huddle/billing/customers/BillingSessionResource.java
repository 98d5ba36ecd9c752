package dev.huddle.billing.customers;

import java.util.UUID;

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
import dev.huddle.platform.tenancy.RequiresAdmin;
import io.smallrye.common.annotation.Blocking;

@Path("/v1/billing/orgs/{orgId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Billing")
public class BillingSessionResource {

    private final BillingSessions sessions;

    public BillingSessionResource(BillingSessions sessions) {
        this.sessions = sessions;
    }

    @Schema(name = "BillingSession", description = "A short-lived Stripe URL to send the browser to")
    public record SessionUrl(String url) {
    }

    @POST
    @Path("/checkout-session")
    @RequiresAdmin
    @Blocking
    @Operation(summary = "Starts a Stripe Checkout for the org's subscription", description = "Seats = the org's "
            + "active members. 409 when the org is subscribed already (use the portal).")
    @APIResponse(responseCode = "200", description = "The Checkout URL", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SessionUrl.class)))
    @APIResponse(responseCode = "409", description = "The organization has a subscription already (conflict)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "502", description = "Stripe did not answer (stripe-unavailable); nothing was started", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "503", description = "Stripe is not configured on this server (not-configured)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public SessionUrl checkout(@PathParam("orgId") UUID orgId) {
        return new SessionUrl(sessions.checkout(orgId));
    }

    @POST
    @Path("/portal-session")
    @RequiresAdmin
    @Blocking
    @Operation(summary = "Opens Stripe's billing portal for the org")
    @APIResponse(responseCode = "200", description = "The portal URL", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SessionUrl.class)))
    @APIResponse(responseCode = "502", description = "Stripe did not answer (stripe-unavailable)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "503", description = "Stripe is not configured on this server (not-configured)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public SessionUrl portal(@PathParam("orgId") UUID orgId) {
        return new SessionUrl(sessions.portal(orgId));
    }
}
