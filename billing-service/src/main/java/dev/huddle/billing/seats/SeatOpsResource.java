package dev.huddle.billing.seats;

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

import dev.huddle.platform.ops.Operators;
import dev.huddle.platform.problem.Problem;
import dev.huddle.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/** Operators' view of seat syncs Stripe kept refusing ({@link Operators}: others get 404, or 401 without a token). */
@Path("/v1/billing/ops/seats")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Billing operations")
public class SeatOpsResource {

    private final SeatFailureRepository failures;
    private final Operators operators;

    public SeatOpsResource(SeatFailureRepository failures, Operators operators) {
        this.failures = failures;
        this.operators = operators;
    }

    @GET
    @Path("/dead")
    @Operation(summary = "Orgs whose seat sync was given up, newest first", description = "Operators only. Stripe "
            + "refused the quantity update max-attempts times in a row; the org's membership changes wait.")
    @APIResponse(responseCode = "200", description = "The dead seat syncs", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = DeadSeatSync.class)))
    @APIResponse(responseCode = "404", description = "Not an operator: to anyone else these paths do not exist", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<List<DeadSeatSync>> dead(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit) {
        return operators.check().chain(() -> failures.listDead(limit));
    }

    @POST
    @Path("/{targetOrgId}/retry")
    @Operation(summary = "Gives a dead seat sync back to the seat worker", description = "Operators only. The "
            + "worker syncs the org at its next round, from a fresh count of failures. 404 when the org's seat sync "
            + "is not dead.")
    @APIResponse(responseCode = "204", description = "The org is queued again")
    @APIResponse(responseCode = "404", description = "No dead seat sync for that org, or not an operator", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<Response> retry(@PathParam("targetOrgId") UUID orgId) {
        return operators.check().chain(() -> failures.retry(orgId)).map(retried -> {
            if (!retried) {
                throw ProblemException.notFound("dead seat sync");
            }
            return Response.noContent().build();
        });
    }
}
