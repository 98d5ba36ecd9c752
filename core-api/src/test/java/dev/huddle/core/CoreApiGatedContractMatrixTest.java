package dev.huddle.core;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** core-api's contract matrix again with the subscription gate enforced: 402 exactly where the contract says. */
@QuarkusTest
@TestProfile(CoreApiGatedContractMatrixTest.Enforced.class)
class CoreApiGatedContractMatrixTest extends CoreApiContractMatrixTest {

    public static class Enforced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("huddle.subscription-gate.mode", "enforce");
        }
    }
}
