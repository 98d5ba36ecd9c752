package dev.huddle.realtime.channels;

import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.huddle.platform.outbox.Channels;
import dev.huddle.platform.tenancy.OrgContext;
import dev.huddle.platform.tenancy.OrgMembership;
import dev.huddle.platform.tenancy.RequiresMember;

@Path("/v1/realtime/orgs/{orgId}/channels")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Realtime")
public class ChannelResource {

    private final OrgContext orgContext;

    public ChannelResource(OrgContext orgContext) {
        this.orgContext = orgContext;
    }

    @GET
    @RequiresMember
    @Operation(summary = "The org's channels the caller may subscribe to")
    public ChannelList list(@PathParam("orgId") UUID orgId) {
        OrgMembership membership = orgContext.membership();
        return new ChannelList(List.of(Channels.org(orgId), Channels.user(membership.userId())));
    }
}
