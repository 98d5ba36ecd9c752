package dev.huddle.core.users;

import java.util.UUID;

/** A person, mirrored from WorkOS. */
public record User(UUID id, String workosUserId, String email, String displayName) {
}
