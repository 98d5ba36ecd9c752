package dev.huddle.core;

import dev.huddle.testing.PackagedAppProfile;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** The service checks against the packaged app ({@code quarkus-run.jar}, prod profile), on its own database. */
@QuarkusIntegrationTest
@TestProfile(PackagedAppProfile.class)
class CoreApiChecksIT extends CoreApiChecksTest {
}
