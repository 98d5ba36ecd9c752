package dev.huddle.core.memberships;

import dev.huddle.platform.problem.ProblemException;
import dev.huddle.platform.tenancy.Role;

/**
 * What a change does to a membership, decided against its current state inside the write path's lock, so two
 * concurrent changes never act on a stale read.
 */
@FunctionalInterface
public interface Transition {

    MembershipState next(MembershipState current);

    /** Sets the membership to exactly this state (WorkOS and billing say what it is). */
    static Transition to(MembershipState target) {
        return current -> target;
    }

    /** Adds an active member; an inactive or pending one becomes active; an active one is a conflict. */
    static Transition add(Role role) {
        return current -> {
            if (current.active()) {
                throw ProblemException.conflict("already-member", "this user is already an active member");
            }
            return new MembershipState(role, MembershipState.ACTIVE);
        };
    }

    /** Changes role and/or status (null keeps it) of an existing membership. */
    static Transition update(Role role, String status) {
        return current -> {
            ProblemException.requireExists(current.exists(), "member");
            return new MembershipState(role == null ? current.role() : role, status == null ? current.status() : status);
        };
    }

    /** Removes an existing membership. */
    static Transition remove() {
        return current -> {
            ProblemException.requireExists(current.exists(), "member");
            return MembershipState.NONE;
        };
    }

    /**
     * Deactivates a member, keeping the role: an inactive one stays so (a no-op); a pending one (an invitation not
     * yet accepted) is a conflict, as in WorkOS: it is removed instead.
     */
    static Transition deactivate() {
        return current -> {
            ProblemException.requireExists(current.exists(), "member");
            if (MembershipState.PENDING.equals(current.status())) {
                throw ProblemException.conflict("membership-pending",
                        "a pending membership (an invitation not yet accepted) cannot be deactivated; remove it instead");
            }
            return new MembershipState(current.role(), MembershipState.INACTIVE);
        };
    }

    /**
     * Reactivates an inactive member with the role they had: an active one stays so (a no-op); a pending one is a
     * conflict, as in WorkOS: the user accepts the invitation instead.
     */
    static Transition reactivate() {
        return current -> {
            ProblemException.requireExists(current.exists(), "member");
            if (MembershipState.PENDING.equals(current.status())) {
                throw ProblemException.conflict("membership-pending",
                        "a pending membership (an invitation not yet accepted) cannot be reactivated; the user accepts the invitation instead");
            }
            return new MembershipState(current.role(), MembershipState.ACTIVE);
        };
    }
}
