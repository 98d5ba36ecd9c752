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
            if (!current.exists()) {
                throw ProblemException.notFound("member");
            }
            return new MembershipState(role == null ? current.role() : role, status == null ? current.status() : status);
        };
    }

    /** Removes an existing membership. */
    static Transition remove() {
        return current -> {
            if (!current.exists()) {
                throw ProblemException.notFound("member");
            }
            return MembershipState.NONE;
        };
    }
}
