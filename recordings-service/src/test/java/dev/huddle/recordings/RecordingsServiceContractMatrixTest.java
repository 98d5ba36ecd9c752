package dev.huddle.recordings;

import java.util.Map;
import java.util.UUID;

import dev.huddle.testing.ContractMatrix;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.Tenants.TestUser;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

/** recordings-service's operations through the contract matrix: a room and a ready recording of it per org. */
@QuarkusTest
class RecordingsServiceContractMatrixTest extends ContractMatrix {

    @Override
    protected Map<String, String> fixtures(UUID org, TestUser owner) {
        UUID room = Tenants.room(org, "Room");
        String recording = TestDatabase.value("""
                INSERT INTO recordings.recordings (org_id, room_id, egress_id, status, location, started_at, ended_at)
                VALUES (?, ?, ?, 'ready', 'recordings/' || gen_random_uuid() || '.mp4', now(), now()) RETURNING id""",
                org, room, "EG_" + UUID.randomUUID()).toString();
        return Map.of("roomId", room.toString(), "recordingId", recording);
    }
}
