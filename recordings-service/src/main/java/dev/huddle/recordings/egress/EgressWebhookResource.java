package dev.huddle.recordings.egress;

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

import dev.huddle.platform.config.LiveKitConfig;
import dev.huddle.platform.livekit.LiveKitWebhookReceiver;
import dev.huddle.platform.problem.Problem;
import io.smallrye.mutiny.Uni;
import livekit.LivekitWebhook.WebhookEvent;

/**
 * LiveKit's egress webhooks, received by the platform's {@link LiveKitWebhookReceiver}: the source of truth of
 * recordings. Called by LiveKit, not by clients: no bearer token, the request is authenticated by its signature.
 * Room and participant events are acknowledged and ignored.
 */
@Path("/webhooks/livekit/egress")
@Tag(name = "Recordings")
public class EgressWebhookResource {

    private final LiveKitWebhookReceiver receiver;
    private final EgressService egress;

    public EgressWebhookResource(LiveKitConfig livekit, EgressService egress) {
        this.receiver = new LiveKitWebhookReceiver(livekit);
        this.egress = egress;
    }

    /** What a verified webhook did, for logs and tests (LiveKit only looks at the 2xx). */
    @Schema(name = "EgressWebhookAck")
    public record Ack(String event, @Schema(enumeration = {
            "applied", "unchanged", "ignored" }) String outcome){
    }

    @POST
    @Consumes({ LiveKitWebhookReceiver.WEBHOOK_JSON, MediaType.APPLICATION_JSON })
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a LiveKit egress webhook", description = "Called by LiveKit, not by clients. "
            + "Authorization is LiveKit's webhook token (a JWT without 'Bearer', HS256 with the API secret, claim "
            + "sha256 of the raw body). egress_started/egress_updated/egress_ended move the recording of the egress; "
            + "out-of-order and duplicate deliveries are safe. Egresses of unknown rooms and other events are "
            + "acknowledged and ignored.")
    @RequestBody(required = true, content = @Content(mediaType = LiveKitWebhookReceiver.WEBHOOK_JSON, schema = @Schema(type = SchemaType.OBJECT, description = "LiveKit's WebhookEvent in protobuf JSON")))
    @APIResponse(responseCode = "200", description = "Verified; what it did", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Ack.class)))
    @APIResponse(responseCode = "400", description = "Correctly signed, but not a LiveKit event", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "401", description = "Missing or invalid token or body checksum; nothing is written", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "503", description = "LiveKit is not configured on this server", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<Ack> receive(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return receiver.receive(authorization, body, this::handle, Ack::new);
    }

    private Uni<EgressService.Outcome> handle(WebhookEvent event) {
        return EgressUpdate.of(event).map(egress::apply).orElseGet(() -> Uni.createFrom().item(EgressService.Outcome.IGNORED));
    }
}
