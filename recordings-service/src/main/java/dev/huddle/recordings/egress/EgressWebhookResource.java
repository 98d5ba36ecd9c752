package dev.huddle.recordings.egress;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.huddle.platform.problem.Problem;
import io.smallrye.mutiny.Uni;
import livekit.LivekitWebhook.WebhookEvent;

/**
 * LiveKit's egress webhooks: the source of truth of recordings. Called by LiveKit, not by clients: no bearer
 * token, the request is authenticated by its signature. Room and participant events are acknowledged and ignored.
 */
@Path("/webhooks/livekit/egress")
@Tag(name = "Recordings")
public class EgressWebhookResource {

    public static final String WEBHOOK_JSON = "application/webhook+json";

    private final EgressWebhooks webhooks;
    private final EgressService egress;

    public EgressWebhookResource(EgressWebhooks webhooks, EgressService egress) {
        this.webhooks = webhooks;
        this.egress = egress;
    }

    /** What a verified webhook did, for logs and tests (LiveKit only looks at the 2xx). */
    @Schema(name = "EgressWebhookAck")
    public record Ack(String event, @Schema(enumeration = {
            "applied", "unchanged", "ignored" }) String outcome){
    }

    @POST
    @Consumes({ WEBHOOK_JSON, MediaType.APPLICATION_JSON })
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a LiveKit egress webhook", description = "Called by LiveKit, not by clients. "
            + "Authorization is LiveKit's webhook token (a JWT without 'Bearer', HS256 with the API secret, claim "
            + "sha256 of the raw body). egress_started/egress_updated/egress_ended move the recording of the egress; "
            + "out-of-order and duplicate deliveries are safe. Egresses of unknown rooms and other events are "
            + "acknowledged and ignored.")
    @RequestBody(required = true, content = @Content(mediaType = WEBHOOK_JSON, schema = @Schema(type = SchemaType.OBJECT, description = "LiveKit's WebhookEvent in protobuf JSON")))
    @APIResponse(responseCode = "200", description = "Verified; what it did", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Ack.class)))
    @APIResponse(responseCode = "400", description = "Correctly signed, but not a LiveKit event", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "401", description = "Missing or invalid token or body checksum; nothing is written", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "503", description = "LiveKit is not configured on this server", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<Ack> receive(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        // verified against the raw bytes as received, never re-serialized JSON
        WebhookEvent event = webhooks.verify(new String(body, StandardCharsets.UTF_8), authorization);
        Optional<EgressUpdate> update = EgressUpdate.of(event);
        Uni<EgressService.Outcome> outcome = update.isPresent() ? egress.apply(update.get())
                : Uni.createFrom().item(EgressService.Outcome.IGNORED);
        return outcome.map(o -> new Ack(event.getEvent(), o.name().toLowerCase(Locale.ROOT)));
    }
}
