package dev.huddle.realtime;

import java.util.Map;
import java.util.UUID;

import dev.huddle.testing.ContractMatrix;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.Tenants.TestUser;
import io.quarkus.test.junit.QuarkusTest;

/** realtime-bridge's operations through the contract matrix: a room's channel per org. */
@QuarkusTest
class RealtimeBridgeContractMatrixTest extends ContractMatrix {

    @Override
    protected Map<String, String> fixtures(UUID org, TestUser owner) {
        return Map.of("channel", "room:" + Tenants.room(org, "Room"));
    }
}
