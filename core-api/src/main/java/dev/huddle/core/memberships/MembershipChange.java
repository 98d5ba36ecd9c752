package dev.huddle.core.memberships;

import java.util.UUID;

/**
 * One change of one membership, from wherever it comes: the API, WorkOS events, billing decisions.
 *
 * @param orgId the org
 * @param userId the member
 * @param transition what the membership becomes, given what it is
 * @param actor who asks
 */
public record MembershipChange(UUID orgId, UUID userId, Transition transition, Actor actor) {
}
