package dev.huddle.systemtests;

import java.util.Map;
import java.util.UUID;

import dev.huddle.testing.MatrixFixtures;
import dev.huddle.testing.Tenants.TestUser;

/** core-api's contract matrix on the running system: a room and a message of it per org; sign-in is public. */
class CoreApiMatrixIT extends SystemContractMatrix {

    @Override
    protected ServiceProcess service(Stack stack) {
        return stack.core;
    }

    @Override
    protected Map<String, String> fixtures(UUID org, TestUser owner) {
        return MatrixFixtures.coreApi(org, owner);
    }

    @Override
    protected boolean isPublicPath(String path) {
        return MatrixFixtures.coreApiPublicPath(path);
    }
}
