package dev.huddle.recordings;

import java.util.Map;
import java.util.UUID;

import dev.huddle.testing.ContractMatrix;
import dev.huddle.testing.MatrixFixtures;
import dev.huddle.testing.Tenants.TestUser;
import io.quarkus.test.junit.QuarkusTest;

/** recordings-service's operations through the contract matrix: a room and a ready recording of it per org. */
@QuarkusTest
class RecordingsServiceContractMatrixTest extends ContractMatrix {

    @Override
    protected Map<String, String> fixtures(UUID org, TestUser owner) {
        return MatrixFixtures.recordingsService(org, owner);
    }
}
