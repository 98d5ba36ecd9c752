package dev.huddle.billing.subscriptions;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.huddle.platform.ops.Operators;
import dev.huddle.platform.problem.Problem;
import io.smallrye.mutiny.Uni;

/** Operators' view of subscriptions that need a hand ({@link Operators}: others get 404, or 401 without a token). */
@Path("/v1/billing/ops/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Billing operations")
public class SubscriptionOpsResource {

    private final SubscriptionRepository subscriptions;
    private final Operators operators;

    public SubscriptionOpsResource(SubscriptionRepository subscriptions, Operators operators) {
        this.subscriptions = subscriptions;
        this.operators = operators;
    }

    @GET
    @Path("/duplicated")
    @Operation(summary = "Orgs billed by more than one live subscription, most recently seen first", description = "Operators only. The sync keeps using one (the newest live one); cancel "
            + "the others in Stripe and the next sync clears the entry.")
    @APIResponse(responseCode = "200", description = "The orgs with more than one live subscription", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = DuplicatedSubscriptions.class)))
    @APIResponse(responseCode = "404", description = "Not an operator: to anyone else these paths do not exist", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<List<DuplicatedSubscriptions>> duplicated(
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit) {
        return operators.check().chain(() -> subscriptions.duplicated(limit));
    }
}
