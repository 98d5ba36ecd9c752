package dev.huddle.core.workos;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import dev.huddle.core.workos.WorkOsWire.Event;
import dev.huddle.core.workos.WorkOsWire.Invitation;
import dev.huddle.core.workos.WorkOsWire.InvitationRequest;
import dev.huddle.core.workos.WorkOsWire.Membership;
import dev.huddle.core.workos.WorkOsWire.RoleUpdate;
import io.smallrye.mutiny.Uni;

/**
 * WorkOS's API as core-api uses it, called with the secret API key as bearer token ({@link WorkOs} builds it). A
 * null query parameter is left out of the request. Errors come back as {@link WorkOsApiException}
 * ({@link WorkOsErrorMapper}).
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface WorkOsApi {

    /** {@code GET /events}: the events of {@code events} (comma-separated types) after the cursor. */
    @GET
    @Path("events")
    Uni<WorkOsList<Event>> events(@RestQuery String events, @RestQuery int limit, @RestQuery String order,
            @RestQuery String after);

    /** {@code GET /organizations}: one page. */
    @GET
    @Path("organizations")
    Uni<WorkOsList<Map<String, Object>>> organizations(@RestQuery int limit, @RestQuery String order,
            @RestQuery String after);

    /** {@code GET /user_management/users}: one page. */
    @GET
    @Path("user_management/users")
    Uni<WorkOsList<Map<String, Object>>> users(@RestQuery int limit, @RestQuery String order, @RestQuery String after);

    /** {@code GET /user_management/organization_memberships} of one organization and the given statuses. */
    @GET
    @Path("user_management/organization_memberships")
    Uni<WorkOsList<Map<String, Object>>> memberships(@RestQuery("organization_id") String organizationId,
            @RestQuery String statuses, @RestQuery int limit, @RestQuery String order, @RestQuery String after);

    @PUT
    @Path("user_management/organization_memberships/{id}/deactivate")
    Uni<Membership> deactivate(@RestPath String id);

    @PUT
    @Path("user_management/organization_memberships/{id}/reactivate")
    Uni<Membership> reactivate(@RestPath String id);

    @PUT
    @Path("user_management/organization_memberships/{id}")
    Uni<Membership> updateMembership(@RestPath String id, RoleUpdate update);

    /** WorkOS answers 204 without a body. */
    @DELETE
    @Path("user_management/organization_memberships/{id}")
    Uni<Void> deleteMembership(@RestPath String id);

    @POST
    @Path("user_management/invitations")
    Uni<Invitation> invite(InvitationRequest request);

    @POST
    @Path("user_management/invitations/{id}/revoke")
    Uni<Invitation> revokeInvitation(@RestPath String id);

    @POST
    @Path("user_management/invitations/{id}/resend")
    Uni<Invitation> resendInvitation(@RestPath String id);
}
