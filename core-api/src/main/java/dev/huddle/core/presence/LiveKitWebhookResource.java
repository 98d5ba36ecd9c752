package dev.huddle.core.presence;

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
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import dev.huddle.platform.config.LiveKitConfig;
import dev.huddle.platform.livekit.LiveKitWebhookReceiver;
import dev.huddle.platform.problem.Problem;
import io.smallrye.mutiny.Uni;
import livekit.LivekitWebhook.WebhookEvent;

/**
 * LiveKit's room webhooks, received by the platform's {@link LiveKitWebhookReceiver}: the source of truth of who is
 * in which room. Called by LiveKit, not by clients: no bearer token, the request is authenticated by its signature.
 * Egress events go to recordings-service ({@code /webhooks/livekit/egress}); if they arrive here they are
 * acknowledged and ignored.
 */
@Path("/webhooks/livekit/rooms")
@Tag(name = "Presence")
public class LiveKitWebhookResource {

    private static final Logger LOG = Logger.getLogger(LiveKitWebhookResource.class);

    private static final String EXAMPLE = """
            {"event":"participant_joined","room":{"sid":"RM_5GAbc12xYz","name":"org-3f1c-room-9a2b"},\
            "participant":{"sid":"PA_kq81Zs0T","identity":"user_01JABCDEF0123456789ABCDEFG","state":"ACTIVE",\
            "joinedAt":"1795600005"},"id":"EV_pj_1","createdAt":"1795600010"}""";

    private final LiveKitWebhookReceiver receiver;
    private final PresenceService presence;

    public LiveKitWebhookResource(LiveKitConfig livekit, PresenceService presence) {
        this.receiver = new LiveKitWebhookReceiver(livekit);
        this.presence = presence;
    }

    @POST
    @Consumes({ LiveKitWebhookReceiver.WEBHOOK_JSON, MediaType.APPLICATION_JSON })
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a LiveKit room webhook", description = "Called by LiveKit, not by clients: no "
            + "bearer token. Authorization is LiveKit's webhook token, a JWT (without 'Bearer') signed HS256 with the "
            + "API secret, iss = API key, claim sha256 = base64(SHA-256(raw body)), verified against the raw body. "
            + "participant_joined, participant_left, participant_connection_aborted and room_finished update room "
            + "presence; any other event, and events of rooms that are not ours, are acknowledged and ignored. "
            + "Duplicates and out-of-order deliveries are safe: per participant the latest event wins, a leave "
            + "winning a tie.")
    @RequestBody(required = true, content = @Content(mediaType = LiveKitWebhookReceiver.WEBHOOK_JSON, schema = @Schema(type = SchemaType.OBJECT, description = "LiveKit's WebhookEvent in protobuf JSON"), examples = @ExampleObject(name = "participant_joined", value = EXAMPLE)))
    @APIResponse(responseCode = "200", description = "Verified; what it did", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookAck.class)))
    @APIResponse(responseCode = "400", description = "Correctly signed, but not a LiveKit event", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "401", description = "Missing Authorization, or a token or body checksum that does "
            + "not verify; nothing is written", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "503", description = "LiveKit is not configured on this server (LIVEKIT_API_KEY, "
            + "LIVEKIT_API_SECRET): no webhook can be verified; LiveKit retries", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<WebhookAck> receive(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            byte[] body) {
        return receiver.receive(authorization, body, this::handle, WebhookAck::new);
    }

    private Uni<WebhookOutcome> handle(WebhookEvent event) {
        return switch (event.getEvent()) {
            case "participant_joined" -> participant(event, PresenceState.JOINED);
            case "participant_left", "participant_connection_aborted" -> participant(event, PresenceState.LEFT);
            case "room_finished" -> event.hasRoom() && !event.getRoom().getName().isEmpty()
                    ? presence.roomFinished(event.getRoom().getName(), ParticipantEvent.createdAt(event))
                    : ignored(event, "no room");
            default -> Uni.createFrom().item(WebhookOutcome.IGNORED);
        };
    }

    private Uni<WebhookOutcome> participant(WebhookEvent event, PresenceState state) {
        return ParticipantEvent.of(event, state).map(presence::participant)
                .orElseGet(() -> ignored(event, "no room or participant"));
    }

    private static Uni<WebhookOutcome> ignored(WebhookEvent event, String why) {
        LOG.warnf("LiveKit %s %s ignored: %s", event.getEvent(), event.getId(), why);
        return Uni.createFrom().item(WebhookOutcome.IGNORED);
    }
}
