package dev.huddle.billing.inbox;

import java.util.List;

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

import dev.huddle.platform.ops.Operators;
import dev.huddle.platform.problem.Problem;
import dev.huddle.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/** Operators' view of the Stripe inbox ({@link Operators}: others get 404, or 401 without a token). */
@Path("/v1/billing/ops/inbox")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Billing operations")
public class InboxOpsResource {

    private final InboxRepository inbox;
    private final Operators operators;

    public InboxOpsResource(InboxRepository inbox, Operators operators) {
        this.inbox = inbox;
        this.operators = operators;
    }

    @GET
    @Path("/dead")
    @Operation(summary = "Dead Stripe events, newest first", description = "Operators only.")
    @APIResponse(responseCode = "200", description = "The dead events", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = DeadEvent.class)))
    @APIResponse(responseCode = "404", description = "Not an operator: to anyone else these paths do not exist", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<List<DeadEvent>> dead(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit) {
        return operators.check().chain(() -> inbox.listDead(limit));
    }

    @POST
    @Path("/{eventId}/replay")
    @Operation(summary = "Puts a dead Stripe event back in the queue", description = "Operators only. "
            + "204; 404 when there is no dead event with that id.")
    @APIResponse(responseCode = "204", description = "Queued again")
    @APIResponse(responseCode = "404", description = "No dead event with that id, or not an operator", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<Response> replay(@PathParam("eventId") String eventId) {
        return operators.check().chain(() -> inbox.replay(eventId)).map(replayed -> {
            if (!replayed) {
                throw ProblemException.notFound("dead event");
            }
            return Response.noContent().build();
        });
    }
}
