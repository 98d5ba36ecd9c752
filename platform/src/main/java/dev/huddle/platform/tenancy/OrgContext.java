package dev.huddle.platform.tenancy;

import jakarta.enterprise.context.RequestScoped;

import dev.huddle.platform.problem.ProblemException;

/** Holds, for one request, the membership {@link OrgAccessFilter} resolved. */
@RequestScoped
public class OrgContext {

    private OrgMembership membership;

    void set(OrgMembership membership) {
        this.membership = membership;
    }

    /** The caller's membership in the path's org; only on operations annotated {@code @Requires...}. */
    public OrgMembership membership() {
        if (membership == null) {
            throw new IllegalStateException("no org in this request: annotate the operation with @RequiresMember, "
                    + "@RequiresAdmin or @RequiresOwner");
        }
        return membership;
    }

    /** Whether the caller may act on something another member made (admins and owners may). */
    public boolean canModerate() {
        return membership().role().atLeast(Role.ADMIN);
    }

    static ProblemException orgNotFound() {
        return ProblemException.notFound("organization");
    }
}
