package dev.huddle.core;

import java.util.Map;
import java.util.UUID;

import dev.huddle.testing.ContractMatrix;
import dev.huddle.testing.MatrixFixtures;
import dev.huddle.testing.Tenants.TestUser;
import io.quarkus.test.junit.QuarkusTest;

/** core-api's operations through the contract matrix; the sign-in routes are the only public ones. */
@QuarkusTest
class CoreApiContractMatrixTest extends ContractMatrix {

    @Override
    protected Map<String, String> fixtures(UUID org, TestUser owner) {
        return MatrixFixtures.coreApi(org, owner);
    }

    @Override
    protected boolean isPublicPath(String path) {
        return MatrixFixtures.coreApiPublicPath(path);
    }
}
