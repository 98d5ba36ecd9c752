package dev.huddle.realtime;

import java.util.Map;
import java.util.UUID;

import dev.huddle.testing.ContractMatrix;
import dev.huddle.testing.Tenants.TestUser;
import io.quarkus.test.junit.QuarkusTest;

/**
 * realtime-bridge's operations through the contract matrix. None takes a child id of an org: channels are reached
 * only through Centrifugo's subscribe proxy, which has no bearer token (the proxy's own tests refuse other orgs').
 */
@QuarkusTest
class RealtimeBridgeContractMatrixTest extends ContractMatrix {

    @Override
    protected Map<String, String> fixtures(UUID org, TestUser owner) {
        return Map.of();
    }
}
