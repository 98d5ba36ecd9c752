package dev.huddle.billing.webhooks;

import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.huddle.billing.config.BillingConfig;
import dev.huddle.platform.problem.Problem;
import dev.huddle.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/**
 * Stripe's webhook endpoint: verify, store in the inbox, answer. No Stripe call and no business logic here; the
 * inbox worker does the rest.
 */
@Path("/webhooks/stripe")
@Tag(name = "Webhooks")
public class StripeWebhookResource {

    private final StripeWebhooks webhooks;
    private final BillingConfig config;

    public StripeWebhookResource(StripeWebhooks webhooks, BillingConfig config) {
        this.webhooks = webhooks;
        this.config = config;
    }

    public record Received(boolean received) {
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receives a Stripe event", description = "Signed with the endpoint's secret "
            + "(Stripe-Signature). The event is stored once per id and processed asynchronously.")
    @APIResponse(responseCode = "200", description = "Stored (or stored before)", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Received.class)))
    @APIResponse(responseCode = "400", description = "No signature, a signature that does not match, or not a Stripe event; nothing is stored", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "413", description = "Larger than the webhook body limit (payload-too-large)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "503", description = "Stripe is not configured on this server (not-configured)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "500", description = "A fault of ours; Stripe retries", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<Received> receive(@HeaderParam("Stripe-Signature") String signature, byte[] body) {
        if (body != null && body.length > config.webhook().maxBodyBytes()) {
            throw new ProblemException(Response.Status.REQUEST_ENTITY_TOO_LARGE, "payload-too-large",
                    "the event is larger than " + config.webhook().maxBodyBytes() + " bytes");
        }
        String payload = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        return webhooks.store(webhooks.verify(payload, signature)).replaceWith(new Received(true));
    }
}
