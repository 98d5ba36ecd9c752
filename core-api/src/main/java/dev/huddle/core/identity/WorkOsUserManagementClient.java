package dev.huddle.core.identity;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/**
 * WorkOS's organizations and User Management resources: the list endpoints a full reconciliation reads
 * ({@code limit}, {@code after} paging, {@code list_metadata.after}), and a membership's deactivate and reactivate.
 */
@ApplicationScoped
public class WorkOsUserManagementClient {

    /** The most a WorkOS list gives per page. */
    public static final int PAGE_SIZE = 100;
    /** Every membership status, so a list shows inactive and pending ones too (WorkOS's default is active only). */
    static final List<String> ALL_STATUSES = List.of("active", "inactive", "pending");

    private final WorkOsHttp http;
    private final WorkOsSyncConfig sync;

    public WorkOsUserManagementClient(WorkOsHttp http, WorkOsSyncConfig sync) {
        this.http = http;
        this.sync = sync;
    }

    /** Whether the API key is set. */
    public boolean configured() {
        return http.configured();
    }

    /** {@code GET /organizations}: one page, oldest first. */
    public Uni<WorkOsHttp.Page> organizations(String after) {
        return list("/organizations", after, null);
    }

    /** {@code GET /user_management/users}: one page, oldest first. */
    public Uni<WorkOsHttp.Page> users(String after) {
        return list("/user_management/users", after, null);
    }

    /** {@code GET /user_management/organization_memberships} of one organization, every status: one page. */
    public Uni<WorkOsHttp.Page> memberships(String organizationId, String after) {
        return list("/user_management/organization_memberships", after, organizationId);
    }

    /**
     * {@code PUT /user_management/organization_memberships/{id}/deactivate}: the membership as WorkOS has it after
     * (deactivating an inactive one changes nothing; a pending one is refused with 400
     * {@code cannot_deactivate_pending_organization_membership}).
     */
    public Uni<JsonObject> deactivate(String membershipId, Duration timeout) {
        return put("/user_management/organization_memberships/" + membershipId + "/deactivate", timeout);
    }

    /**
     * {@code PUT /user_management/organization_memberships/{id}/reactivate}: the membership as WorkOS has it after,
     * with its roles kept (reactivating an active one changes nothing; a pending one is refused with 400
     * {@code cannot_reactivate_pending_organization_membership}).
     */
    public Uni<JsonObject> reactivate(String membershipId, Duration timeout) {
        return put("/user_management/organization_memberships/" + membershipId + "/reactivate", timeout);
    }

    /**
     * {@code PUT /user_management/organization_memberships/{id}} with {@code {"role_slug": ...}} (WorkOS's "Update an
     * organization membership"): the membership as WorkOS has it after, its {@code updated_at} included.
     */
    public Uni<JsonObject> updateRole(String membershipId, String roleSlug, Duration timeout) {
        String path = "/user_management/organization_memberships/" + membershipId;
        return http.send(http.request(HttpMethod.PUT, path, timeout), new JsonObject().put("role_slug", roleSlug),
                "PUT " + path);
    }

    /**
     * {@code DELETE /user_management/organization_memberships/{id}}: WorkOS answers 204 without a body, 404 when it
     * does not have the membership (any more).
     */
    public Uni<Void> delete(String membershipId, Duration timeout) {
        String path = "/user_management/organization_memberships/" + membershipId;
        return http.sendForNoContent(http.request(HttpMethod.DELETE, path, timeout), "DELETE " + path);
    }

    private Uni<WorkOsHttp.Page> list(String path, String after, String organizationId) {
        var request = http.request(HttpMethod.GET, path, sync.timeout())
                .addQueryParam("limit", Integer.toString(PAGE_SIZE))
                .addQueryParam("order", "asc");
        if (organizationId != null) {
            request.addQueryParam("organization_id", organizationId)
                    .addQueryParam("statuses", String.join(",", ALL_STATUSES));
        }
        if (after != null) {
            request.addQueryParam("after", after);
        }
        String what = "GET " + path;
        return http.send(request, what).map(body -> WorkOsHttp.page(body, what));
    }

    private Uni<JsonObject> put(String path, Duration timeout) {
        return http.send(http.request(HttpMethod.PUT, path, timeout), "PUT " + path);
    }
}
