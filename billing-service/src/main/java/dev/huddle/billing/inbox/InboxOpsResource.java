package dev.huddle.billing.inbox;

import java.util.List;
import java.util.Set;

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

import dev.huddle.billing.config.BillingConfig;
import dev.huddle.platform.problem.Problem;
import dev.huddle.platform.problem.ProblemException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/**
 * Operators' view of the Stripe inbox. Only WorkOS users listed in {@code huddle.billing.operators} may use it
 * (org roles do not count); to anyone else with a valid token these paths do not exist (404), without a token 401.
 */
@Path("/v1/billing/ops/inbox")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Billing operations")
public class InboxOpsResource {

    private final InboxRepository inbox;
    private final CurrentIdentityAssociation identity;
    private final Set<String> operators;

    public InboxOpsResource(InboxRepository inbox, CurrentIdentityAssociation identity, BillingConfig config) {
        this.inbox = inbox;
        this.identity = identity;
        this.operators = config.operators().orElse(Set.of());
    }

    @GET
    @Path("/dead")
    @Operation(summary = "Dead Stripe events, newest first", description = "Operators only.")
    @APIResponse(responseCode = "200", description = "The dead events", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = DeadEvent.class)))
    @APIResponse(responseCode = "404", description = "Not an operator: to anyone else these paths do not exist", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<List<DeadEvent>> dead(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit) {
        return operator().chain(() -> inbox.listDead(limit));
    }

    @POST
    @Path("/{eventId}/replay")
    @Operation(summary = "Puts a dead Stripe event back in the queue", description = "Operators only. "
            + "204; 404 when there is no dead event with that id.")
    @APIResponse(responseCode = "204", description = "Queued again")
    @APIResponse(responseCode = "404", description = "No dead event with that id, or not an operator", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<Response> replay(@PathParam("eventId") String eventId) {
        return operator().chain(() -> inbox.replay(eventId)).map(replayed -> {
            if (!replayed) {
                throw ProblemException.notFound("dead event");
            }
            return Response.noContent().build();
        });
    }

    private Uni<Void> operator() {
        return identity.getDeferredIdentity().map(caller -> {
            if (caller.isAnonymous()) {
                throw new UnauthorizedException();
            }
            if (!operators.contains(caller.getPrincipal().getName())) {
                throw ProblemException.notFound("resource");
            }
            return null;
        });
    }
}
