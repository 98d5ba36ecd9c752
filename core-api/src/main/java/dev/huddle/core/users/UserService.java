package dev.huddle.core.users;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/** Reads of users as the API shows them. Users are written by the WorkOS sync only. */
@ApplicationScoped
public class UserService {

    private final UserRepository users;

    public UserService(UserRepository users) {
        this.users = users;
    }

    /** Our id of WorkOS user {@code workosUserId}; null while the sync has not brought the user yet. */
    public Uni<UUID> idOf(String workosUserId) {
        return users.findByWorkosId(workosUserId).map(user -> user == null ? null : user.id());
    }

    /** The caller (WorkOS user {@code subject}) and their active memberships; ids null while not synced yet. */
    public Uni<MeResponse> me(String subject) {
        return Uni.combine().all().unis(users.findByWorkosId(subject), users.activeMemberships(subject))
                .with((user, memberships) -> user == null
                        ? new MeResponse(null, subject, null, null, memberships)
                        : new MeResponse(user.id(), subject, user.email(), user.displayName(), memberships));
    }
}
