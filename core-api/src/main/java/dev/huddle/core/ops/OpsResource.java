package dev.huddle.core.ops;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
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

import dev.huddle.core.identity.Poisoned;
import dev.huddle.core.identity.WorkOsEventHandler;
import dev.huddle.core.memberships.FlaggedOrg;
import dev.huddle.core.memberships.MembershipService;
import dev.huddle.platform.ops.Operators;
import dev.huddle.platform.problem.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * Operators' view of what the WorkOS sync could not apply and of orgs WorkOS left outside our rules. Only WorkOS users
 * listed in {@code huddle.ops.operators} may use it (org roles do not count); to anyone else with a valid token these
 * paths do not exist (404), without a token 401 (before anything else, a malformed id's 400 included).
 */
@Path("/v1/ops")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations")
public class OpsResource {

    private final WorkOsEventHandler events;
    private final MembershipService memberships;
    private final Operators operators;

    public OpsResource(WorkOsEventHandler events, MembershipService memberships, Operators operators) {
        this.events = events;
        this.memberships = memberships;
        this.operators = operators;
    }

    @GET
    @Path("/workos/poison")
    @Operation(summary = "WorkOS events skipped as poison, newest first", description = "Operators only.")
    @APIResponse(responseCode = "200", description = "The poison events", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = Poisoned.class)))
    @APIResponse(responseCode = "404", description = "Not an operator")
    public Uni<List<Poisoned>> poison(
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit) {
        return operator().chain(() -> events.poisoned(limit));
    }

    @POST
    @Path("/workos/poison/{eventId}/replay")
    @Operation(summary = "Apply a poison WorkOS event again", description = "Operators only. Applied once: it "
            + "leaves the poison list with its application. 204; 404 when there is no poison event with that id; "
            + "409 when it fails again (it stays poison).")
    @APIResponse(responseCode = "204", description = "Applied")
    @APIResponse(responseCode = "400", description = "Not a WorkOS event id (event_...) or a reconciliation's")
    @APIResponse(responseCode = "404", description = "No such poison event, or not an operator")
    @APIResponse(responseCode = "409", description = "It failed again")
    public Uni<Response> replay(
            @PathParam("eventId") @Pattern(regexp = "event_[A-Za-z0-9]{1,100}|reconcile:[A-Za-z0-9_:]{1,200}") String eventId) {
        return operator().chain(() -> events.replay(eventId)
                .onFailure().transform(e -> ProblemException.conflict("replay-failed",
                        "the event failed again (" + e.getClass().getSimpleName() + "); it stays poison")))
                .map(replayed -> {
                    ProblemException.requireExists(replayed, "poison event");
                    return Response.noContent().build();
                });
    }

    @GET
    @Path("/orgs/owner-missing")
    @Operation(summary = "Orgs left without an active owner by WorkOS", description = "Operators only. Their admins "
            + "may claim ownership.")
    @APIResponse(responseCode = "200", description = "The orgs without an active owner", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = FlaggedOrg.class)))
    @APIResponse(responseCode = "404", description = "Not an operator")
    public Uni<List<FlaggedOrg>> ownerMissing(
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit) {
        return operator().chain(() -> memberships.ownerMissing(limit));
    }

    @GET
    @Path("/orgs/over-seat-cap")
    @Operation(summary = "Orgs with more active members than their plan's seats", description = "Operators only. "
            + "WorkOS added the members; invitations are refused until they are back under.")
    @APIResponse(responseCode = "200", description = "The orgs over their seats", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = FlaggedOrg.class)))
    @APIResponse(responseCode = "404", description = "Not an operator")
    public Uni<List<FlaggedOrg>> overSeatCap(
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit) {
        return operator().chain(() -> memberships.overSeatCap(limit));
    }

    private Uni<Void> operator() {
        return operators.check();
    }
}
