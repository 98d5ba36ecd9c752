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

import dev.huddle.core.workos.WorkOsWire.Authenticate;
import dev.huddle.core.workos.WorkOsWire.Authentication;
import dev.huddle.core.workos.WorkOsWire.Event;
import dev.huddle.core.workos.WorkOsWire.Invitation;
import dev.huddle.core.workos.WorkOsWire.InvitationRequest;
import dev.huddle.core.workos.WorkOsWire.Membership;
import dev.huddle.core.workos.WorkOsWire.RoleUpdate;
import io.quarkus.rest.client.reactive.ClientQueryParam;
import io.smallrye.mutiny.Uni;

/**
 * WorkOS's API as core-api uses it; {@link WorkOs} builds it (the API key as bearer token, as WorkOS's SDKs send it on
 * every request) and makes every call through its circuit breaker. A null query parameter is left out. Errors come
 * back as {@link WorkOsApiException} ({@link WorkOsErrorMapper}). Lists are read oldest first, a page of
 * {@value #PAGE_SIZE}.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface WorkOsApi {

    /** The most a WorkOS list gives per page. */
    int PAGE_SIZE = 100;

    /** {@code GET /events}: the events of {@code events} (comma-separated types) after the cursor. */
    @GET
    @Path("events")
    Uni<WorkOsList<Event>> events(@RestQuery String events, @RestQuery int limit, @RestQuery String order,
            @RestQuery String after);

    @GET
    @Path("organizations")
    @ClientQueryParam(name = "limit", value = "" + PAGE_SIZE)
    @ClientQueryParam(name = "order", value = "asc")
    Uni<WorkOsList<Map<String, Object>>> organizations(@RestQuery String after);

    @GET
    @Path("user_management/users")
    @ClientQueryParam(name = "limit", value = "" + PAGE_SIZE)
    @ClientQueryParam(name = "order", value = "asc")
    Uni<WorkOsList<Map<String, Object>>> users(@RestQuery String after);

    /** The memberships of one organization, every status (WorkOS's default is active only). */
    @GET
    @Path("user_management/organization_memberships")
    @ClientQueryParam(name = "statuses", value = "active,inactive,pending")
    @ClientQueryParam(name = "limit", value = "" + PAGE_SIZE)
    @ClientQueryParam(name = "order", value = "asc")
    Uni<WorkOsList<Map<String, Object>>> memberships(@RestQuery("organization_id") String organizationId,
            @RestQuery String after);

    /** The membership as WorkOS has it after; a pending one is refused (400 {@code cannot_deactivate_pending_...}). */
    @PUT
    @Path("user_management/organization_memberships/{id}/deactivate")
    Uni<Membership> deactivate(@RestPath String id);

    /** The membership as WorkOS has it after, roles kept; a pending one is refused (400). */
    @PUT
    @Path("user_management/organization_memberships/{id}/reactivate")
    Uni<Membership> reactivate(@RestPath String id);

    @PUT
    @Path("user_management/organization_memberships/{id}")
    Uni<Membership> updateMembership(@RestPath String id, RoleUpdate update);

    /** 204 without a body; 404 when WorkOS does not have it. */
    @DELETE
    @Path("user_management/organization_memberships/{id}")
    Uni<Void> deleteMembership(@RestPath String id);

    /** WorkOS emails the invitee. */
    @POST
    @Path("user_management/invitations")
    Uni<Invitation> invite(InvitationRequest request);

    @POST
    @Path("user_management/invitations/{id}/revoke")
    Uni<Invitation> revokeInvitation(@RestPath String id);

    @POST
    @Path("user_management/invitations/{id}/resend")
    Uni<Invitation> resendInvitation(@RestPath String id);

    /** Sign-in: a grant (an authorization code or a refresh token) with our client's credentials in the body. */
    @POST
    @Path("user_management/authenticate")
    Uni<Authentication> authenticate(Authenticate grant);
}
