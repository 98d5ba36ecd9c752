package dev.huddle.testing;

import java.util.UUID;

/**
 * Arranges tenants for a test straight in the database (as the admin): orgs, users and memberships with
 * unique names, so tests never depend on each other's data.
 */
public final class Tenants {

    private Tenants() {
    }

    /** A user and the id their tokens carry as {@code sub}. */
    public record TestUser(UUID id, String workosUserId, String email) {

        public String token() {
            return TestTokens.forUser(workosUserId);
        }
    }

    public static UUID org(String name) {
        return (UUID) TestDatabase.value("INSERT INTO core.organizations (name) VALUES (?) RETURNING id", name);
    }

    public static TestUser user() {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 20).toUpperCase();
        String workosId = "user_01" + suffix;
        String email = "u" + suffix.toLowerCase() + "@example.test";
        UUID id = (UUID) TestDatabase.value(
                "INSERT INTO core.users (workos_user_id, email, display_name) VALUES (?, ?, ?) RETURNING id",
                workosId, email, "Test " + suffix.substring(0, 6));
        return new TestUser(id, workosId, email);
    }

    /** Adds (or changes) a membership directly; tests of the write path go through the API instead. */
    public static void member(UUID orgId, TestUser user, String role, String status) {
        TestDatabase.sql("""
                INSERT INTO core.memberships (org_id, user_id, role, status) VALUES (?, ?, ?, ?)
                ON CONFLICT (org_id, user_id) DO UPDATE SET role = excluded.role, status = excluded.status""",
                orgId, user.id(), role, status);
    }

    /** A room in {@code orgId}, straight in the database; see {@link #roomName} for its LiveKit room name. */
    public static UUID room(UUID orgId, String name) {
        return (UUID) TestDatabase.value(
                "INSERT INTO core.rooms (org_id, name, livekit_room_name) VALUES (?, ?, ?) RETURNING id",
                orgId, name, "test-" + UUID.randomUUID());
    }

    /** A chat message by {@code author} in a room of {@code orgId}, straight in the database. */
    public static UUID message(UUID orgId, UUID roomId, TestUser author) {
        return (UUID) TestDatabase.value("""
                INSERT INTO core.messages (org_id, room_id, author_id, body) VALUES (?, ?, ?, 'hello') RETURNING id""",
                orgId, roomId, author.id());
    }

    /** A ready recording of a room of {@code orgId}, straight in the database. */
    public static UUID recording(UUID orgId, UUID roomId) {
        return (UUID) TestDatabase.value("""
                INSERT INTO recordings.recordings (org_id, room_id, egress_id, status, location, started_at, ended_at)
                VALUES (?, ?, ?, 'ready', 'recordings/' || gen_random_uuid() || '.mp4', now(), now()) RETURNING id""",
                orgId, roomId, "EG_" + UUID.randomUUID());
    }

    public static String roomName(UUID roomId) {
        return (String) TestDatabase.value("SELECT livekit_room_name FROM core.rooms WHERE id = ?", roomId);
    }

    /** A new user who is an active member of {@code orgId} with {@code role}. */
    public static TestUser memberOf(UUID orgId, String role) {
        TestUser user = user();
        member(orgId, user, role, "active");
        return user;
    }
}
