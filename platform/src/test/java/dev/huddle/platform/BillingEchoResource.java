package dev.huddle.platform;

import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.huddle.platform.tenancy.RequiresMember;

/** A test-only billing route: exempt from the subscription gate like billing-service's. */
@Path("/v1/billing/test/orgs/{orgId}")
@Produces(MediaType.APPLICATION_JSON)
public class BillingEchoResource {

    @GET
    @RequiresMember
    public String read(@PathParam("orgId") UUID orgId) {
        return "{\"orgId\": \"" + orgId + "\"}";
    }
}
