package dev.huddle.billing.ops;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.huddle.billing.inbox.DeadEvent;
import dev.huddle.billing.inbox.InboxRepository;
import dev.huddle.billing.seats.DeadSeatSync;
import dev.huddle.billing.seats.SeatFailureRepository;
import dev.huddle.billing.subscriptions.DuplicatedSubscriptions;
import dev.huddle.billing.subscriptions.SubscriptionRepository;
import dev.huddle.platform.ops.Operators;
import dev.huddle.platform.problem.Problem;
import dev.huddle.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/**
 * Operators' view of what billing could not do alone: dead Stripe events and their replay, dead seat syncs and their
 * retry, customers billed by more than one live subscription. {@link Operators} only: others get 404, or 401 without
 * a token.
 */
@Path("/v1/billing/ops")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Billing operations")
public class OpsResource {

    private final InboxRepository inbox;
    private final SeatFailureRepository seatFailures;
    private final SubscriptionRepository subscriptions;
    private final Operators operators;

    public OpsResource(InboxRepository inbox, SeatFailureRepository seatFailures,
            SubscriptionRepository subscriptions, Operators operators) {
        this.inbox = inbox;
        this.seatFailures = seatFailures;
        this.subscriptions = subscriptions;
        this.operators = operators;
    }

    @GET
    @Path("/inbox/dead")
    @Operation(summary = "Dead Stripe events, newest first", description = "Operators only.")
    @APIResponse(responseCode = "200", description = "The dead events", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = DeadEvent.class)))
    @APIResponse(responseCode = "404", description = "Not an operator: to anyone else these paths do not exist", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<List<DeadEvent>> deadEvents(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit) {
        return operators.check().chain(() -> inbox.listDead(limit));
    }

    @POST
    @Path("/inbox/{eventId}/replay")
    @Operation(summary = "Puts a dead Stripe event back in the queue", description = "Operators only. "
            + "204; 404 when there is no dead event with that id.")
    @APIResponse(responseCode = "204", description = "Queued again")
    @APIResponse(responseCode = "404", description = "No dead event with that id, or not an operator", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<Response> replay(@PathParam("eventId") String eventId) {
        return noContentOrNotFound(operators.check().chain(() -> inbox.replay(eventId)), "dead event");
    }

    @GET
    @Path("/seats/dead")
    @Operation(summary = "Orgs whose seat sync was given up, newest first", description = "Operators only. Stripe "
            + "refused the quantity update max-attempts times in a row; the org's membership changes wait.")
    @APIResponse(responseCode = "200", description = "The dead seat syncs", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = DeadSeatSync.class)))
    @APIResponse(responseCode = "404", description = "Not an operator: to anyone else these paths do not exist", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<List<DeadSeatSync>> deadSeatSyncs(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit) {
        return operators.check().chain(() -> seatFailures.listDead(limit));
    }

    @POST
    @Path("/seats/{targetOrgId}/retry")
    @Operation(summary = "Gives a dead seat sync back to the seat worker", description = "Operators only. The "
            + "worker syncs the org at its next round, from a fresh count of failures. 404 when the org's seat sync "
            + "is not dead.")
    @APIResponse(responseCode = "204", description = "The org is queued again")
    @APIResponse(responseCode = "404", description = "No dead seat sync for that org, or not an operator", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<Response> retrySeatSync(@PathParam("targetOrgId") UUID orgId) {
        return noContentOrNotFound(operators.check().chain(() -> seatFailures.retry(orgId)), "dead seat sync");
    }

    @GET
    @Path("/subscriptions/duplicated")
    @Operation(summary = "Orgs billed by more than one live subscription, most recently seen first", description = "Operators only. The sync keeps using one (the newest live one); cancel "
            + "the others in Stripe and the next sync clears the entry.")
    @APIResponse(responseCode = "200", description = "The orgs with more than one live subscription", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = DuplicatedSubscriptions.class)))
    @APIResponse(responseCode = "404", description = "Not an operator: to anyone else these paths do not exist", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<List<DuplicatedSubscriptions>> duplicatedSubscriptions(
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit) {
        return operators.check().chain(() -> subscriptions.duplicated(limit));
    }

    /** 204 when the action found its target, else a 404 problem naming {@code what}. */
    private static Uni<Response> noContentOrNotFound(Uni<Boolean> done, String what) {
        return done.map(found -> {
            ProblemException.requireExists(found, what);
            return Response.noContent().build();
        });
    }
}
