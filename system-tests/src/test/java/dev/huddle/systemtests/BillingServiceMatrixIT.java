package dev.huddle.systemtests;

import java.util.Map;
import java.util.UUID;

import dev.huddle.testing.Tenants.TestUser;

/** billing-service's contract matrix on the running system; its org-scoped routes name nothing but the org. */
class BillingServiceMatrixIT extends SystemContractMatrix {

    @Override
    protected ServiceProcess service(Stack stack) {
        return stack.billing;
    }

    @Override
    protected Map<String, String> fixtures(UUID org, TestUser owner) {
        return Map.of();
    }
}
