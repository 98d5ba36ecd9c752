package dev.huddle.systemtests;

import java.util.Map;
import java.util.UUID;

import dev.huddle.testing.MatrixFixtures;
import dev.huddle.testing.Tenants.TestUser;

/** recordings-service's contract matrix on the running system: a room and a ready recording of it per org. */
class RecordingsServiceMatrixIT extends SystemContractMatrix {

    @Override
    protected ServiceProcess service(Stack stack) {
        return stack.recordings;
    }

    @Override
    protected Map<String, String> fixtures(UUID org, TestUser owner) {
        return MatrixFixtures.recordingsService(org, owner);
    }
}
