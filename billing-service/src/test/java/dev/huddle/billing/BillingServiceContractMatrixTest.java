package dev.huddle.billing;

import java.util.Map;
import java.util.UUID;

import dev.huddle.testing.ContractMatrix;
import dev.huddle.testing.Tenants.TestUser;
import io.quarkus.test.junit.QuarkusTest;

/** billing-service's operations through the contract matrix; its org-scoped routes name nothing but the org. */
@QuarkusTest
class BillingServiceContractMatrixTest extends ContractMatrix {

    @Override
    protected Map<String, String> fixtures(UUID org, TestUser owner) {
        return Map.of();
    }
}
