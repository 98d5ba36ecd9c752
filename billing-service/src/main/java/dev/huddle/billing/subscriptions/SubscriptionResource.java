package dev.huddle.billing.subscriptions;

import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.huddle.platform.tenancy.RequiresMember;
import io.smallrye.mutiny.Uni;

@Path("/v1/billing/orgs/{orgId}/subscription")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Billing")
public class SubscriptionResource {

    private final SubscriptionRepository subscriptions;

    public SubscriptionResource(SubscriptionRepository subscriptions) {
        this.subscriptions = subscriptions;
    }

    @GET
    @RequiresMember
    @Operation(summary = "The org's entitlement and subscription", description = "Any member may read it, also when the org is not entitled (billing routes are exempt "
            + "from the subscription gate).")
    public Uni<SubscriptionSummary> get(@PathParam("orgId") UUID orgId) {
        return subscriptions.summary(orgId);
    }
}
