package dev.huddle.testing;

import java.util.Map;
import java.util.UUID;

import dev.huddle.testing.Tenants.TestUser;

/**
 * What a service's {@link ContractMatrix} needs to know of it, in one place for the matrix a service's own tests run
 * in-process and the one the system tests run against the running service: the things of an org its operations name
 * ({@link ContractMatrix#fixtures}), and its public paths. Services whose org-scoped routes name nothing but the org
 * (billing-service, realtime-bridge) have no fixtures.
 */
public final class MatrixFixtures {

    private MatrixFixtures() {
    }

    /** core-api: a room, and a message in it, which is also a reply's parent. */
    public static Map<String, String> coreApi(UUID org, TestUser owner) {
        UUID room = Tenants.room(org, "Room");
        String message = Tenants.message(org, room, owner).toString();
        return Map.of("roomId", room.toString(), "messageId", message, "parentId", message);
    }

    /** core-api's public paths: the sign-in routes, and no other. */
    public static boolean coreApiPublicPath(String path) {
        return path.startsWith("/v1/auth/");
    }

    /** recordings-service: a room and a ready recording of it. */
    public static Map<String, String> recordingsService(UUID org, TestUser owner) {
        UUID room = Tenants.room(org, "Room");
        String recording = Tenants.recording(org, room).toString();
        return Map.of("roomId", room.toString(), "recordingId", recording);
    }
}
