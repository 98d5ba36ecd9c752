package dev.huddle.core;

import java.util.Map;
import java.util.UUID;

import dev.huddle.testing.ContractMatrix;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.Tenants.TestUser;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

/** core-api's operations through the contract matrix; the sign-in routes are the only public ones. */
@QuarkusTest
class CoreApiContractMatrixTest extends ContractMatrix {

    @Override
    protected Map<String, String> fixtures(UUID org, TestUser owner) {
        UUID room = Tenants.room(org, "Room");
        String message = TestDatabase.value("""
                INSERT INTO core.messages (org_id, room_id, author_id, body) VALUES (?, ?, ?, 'hello') RETURNING id""",
                org, room, owner.id()).toString();
        return Map.of("roomId", room.toString(), "messageId", message, "parentId", message);
    }

    @Override
    protected boolean isPublicPath(String path) {
        return path.startsWith("/v1/auth/");
    }
}
