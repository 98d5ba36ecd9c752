package dev.huddle.core.memberships;

import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.huddle.core.workos.WorkOsResponses;
import dev.huddle.platform.paging.Cursor;
import dev.huddle.platform.paging.Page;
import dev.huddle.platform.problem.ProblemException;
import dev.huddle.platform.tenancy.OrgContext;
import dev.huddle.platform.tenancy.OrgMembership;
import dev.huddle.platform.tenancy.RequiresAdmin;
import dev.huddle.platform.tenancy.RequiresMember;
import dev.huddle.platform.tenancy.Role;
import io.smallrye.mutiny.Uni;

@Path("/v1/orgs/{orgId}/members")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Members")
public class MembershipResource {

    private final MembershipLifecycle lifecycle;
    private final MembershipService memberships;
    private final OrgContext orgContext;

    public MembershipResource(MembershipLifecycle lifecycle, MembershipService memberships, OrgContext orgContext) {
        this.lifecycle = lifecycle;
        this.memberships = memberships;
        this.orgContext = orgContext;
    }

    @GET
    @RequiresMember
    @Operation(summary = "The org's members, newest first", description = "Keyset-paginated; status filters (default active).")
    public Uni<Page<Member>> list(@PathParam("orgId") UUID orgId,
            @QueryParam("status") @DefaultValue("active") @Pattern(regexp = "active|inactive|pending") String status,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit,
            @QueryParam("cursor") String cursor) {
        return memberships.list(orgId, status, Cursor.decode(cursor), limit);
    }

    @GET
    @Path("/{userId}")
    @RequiresMember
    @Operation(summary = "One member")
    public Uni<Member> get(@PathParam("orgId") UUID orgId, @PathParam("userId") UUID userId) {
        return memberships.find(orgId, userId);
    }

    @PATCH
    @Path("/{userId}")
    @RequiresAdmin
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a member's role or status", description = "Deactivating keeps the membership "
            + "(and its history) and frees its seat. A status or role change of a membership WorkOS manages is made "
            + "in WorkOS first, as the deactivate and reactivate operations do; if WorkOS fails, nothing is changed. "
            + "Only an owner may touch the owner role; the last owner cannot be demoted or deactivated (409).")
    @APIResponse(responseCode = "200", description = "The member, changed")
    @APIResponse(responseCode = "403", description = "The role rules refuse it")
    @APIResponse(responseCode = "409", description = "Last owner, no seat left to reactivate into, or pending in WorkOS")
    @Extension(name = WorkOsResponses.CALLS_WORKOS, value = "true")
    public Uni<Member> update(@PathParam("orgId") UUID orgId, @PathParam("userId") UUID userId,
            @Valid @NotNull UpdateMemberRequest request) {
        Role role = request.role() == null ? null : Role.of(request.role());
        return changed(orgId, userId, Transition.update(role, request.status()));
    }

    @POST
    @Path("/{userId}/deactivate")
    @RequiresAdmin
    @Operation(summary = "Deactivate a member", description = "Keeps the membership, its role and history, and "
            + "frees its seat. When WorkOS manages the membership it is deactivated there first; if WorkOS fails, "
            + "nothing is changed. Deactivating an inactive member changes nothing. Only an owner may deactivate "
            + "an owner; the last owner cannot be deactivated (409); a pending membership cannot (409).")
    @APIResponse(responseCode = "200", description = "The member, now inactive")
    @APIResponse(responseCode = "403", description = "The role rules refuse it")
    @APIResponse(responseCode = "409", description = "Last owner, or a pending membership")
    @Extension(name = WorkOsResponses.CALLS_WORKOS, value = "true")
    public Uni<Member> deactivate(@PathParam("orgId") UUID orgId, @PathParam("userId") UUID userId) {
        return changed(orgId, userId, Transition.deactivate());
    }

    @POST
    @Path("/{userId}/reactivate")
    @RequiresAdmin
    @Operation(summary = "Reactivate a member", description = "With the role they had; takes a seat. When WorkOS "
            + "manages the membership it is reactivated there first; if WorkOS fails, nothing is changed. "
            + "Reactivating an active member changes nothing. Only an owner may reactivate an owner; refused with "
            + "409 when the plan's seats are all taken, or for a pending membership.")
    @APIResponse(responseCode = "200", description = "The member, now active")
    @APIResponse(responseCode = "403", description = "The role rules refuse it")
    @APIResponse(responseCode = "409", description = "No seat left, or a pending membership")
    @Extension(name = WorkOsResponses.CALLS_WORKOS, value = "true")
    public Uni<Member> reactivate(@PathParam("orgId") UUID orgId, @PathParam("userId") UUID userId) {
        return changed(orgId, userId, Transition.reactivate());
    }

    @DELETE
    @Path("/{userId}")
    @RequiresMember
    @Operation(summary = "Remove a member, or leave", description = "Admins remove members and admins, owners "
            + "anyone; any member may remove themselves. The last owner cannot leave (409). A membership WorkOS "
            + "manages is deleted in WorkOS first; if WorkOS fails, nothing is changed.")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "403", description = "The role rules refuse it")
    @APIResponse(responseCode = "409", description = "Last owner")
    @Extension(name = WorkOsResponses.CALLS_WORKOS, value = "true")
    public Uni<Void> remove(@PathParam("orgId") UUID orgId, @PathParam("userId") UUID userId) {
        return lifecycle.apply(change(orgId, userId, Transition.remove())).replaceWithVoid();
    }

    @POST
    @Path("/ownership-claim")
    @RequiresAdmin
    @Operation(summary = "Claim ownership of an org left without an owner", description = "Only while the org is "
            + "flagged as having no active owner (WorkOS deleted, demoted or deactivated the last one): the calling "
            + "admin becomes an owner, in WorkOS first when WorkOS manages the membership.")
    @APIResponse(responseCode = "200", description = "The caller, now an owner")
    @APIResponse(responseCode = "403", description = "Admins only")
    @APIResponse(responseCode = "409", description = "The org has an owner")
    @Extension(name = WorkOsResponses.CALLS_WORKOS, value = "true")
    public Uni<Member> claimOwnership(@PathParam("orgId") UUID orgId) {
        OrgMembership caller = orgContext.membership();
        return memberships.ownerMissing(orgId).chain(missing -> {
            if (!missing) {
                return Uni.createFrom().failure(ProblemException.conflict("owner-present",
                        "the organization has an owner: ask them to make you one"));
            }
            // with the owner's authority the org lacks
            return lifecycle.apply(new MembershipChange(orgId, caller.userId(), Transition.update(Role.OWNER, null),
                    Actor.api(caller.userId(), Role.OWNER)));
        }).chain(() -> memberships.find(orgId, caller.userId()));
    }

    @GET
    @Path("/history")
    @RequiresAdmin
    @Operation(summary = "Membership history, newest first", description = "Every change, whoever made it.")
    public Uni<Page<HistoryEntry>> history(@PathParam("orgId") UUID orgId,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit,
            @QueryParam("cursor") String cursor) {
        return memberships.history(orgId, Cursor.decodeSequence(cursor), limit);
    }

    /** Applies the caller's change of the member; the member as it now is. */
    private Uni<Member> changed(UUID orgId, UUID userId, Transition transition) {
        return lifecycle.apply(change(orgId, userId, transition)).chain(() -> memberships.find(orgId, userId));
    }

    private MembershipChange change(UUID orgId, UUID userId, Transition transition) {
        OrgMembership caller = orgContext.membership();
        return new MembershipChange(orgId, userId, transition, Actor.api(caller.userId(), caller.role()));
    }
}
