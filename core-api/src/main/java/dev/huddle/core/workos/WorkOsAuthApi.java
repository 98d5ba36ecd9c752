package dev.huddle.core.workos;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.huddle.core.workos.WorkOsWire.Authenticate;
import dev.huddle.core.workos.WorkOsWire.Authentication;
import io.smallrye.mutiny.Uni;

/**
 * WorkOS's authenticate endpoint, which takes our client's credentials in its body (no bearer token). Errors come
 * back as {@link WorkOsApiException} ({@link WorkOsErrorMapper}).
 */
@Path("/user_management/authenticate")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface WorkOsAuthApi {

    @POST
    Uni<Authentication> authenticate(Authenticate grant);
}
