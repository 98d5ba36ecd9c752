package dev.huddle.migrations;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;

/** A PG_ADMIN_URL the server does not let in: the packaged app exits 2 with the server's reason. */
@QuarkusMainIntegrationTest
@WithTestResource(value = ScratchDatabaseResource.class, initArgs = @ResourceArg(name = "url", value = "wrong-password"))
class WrongPasswordIT {

    @Test
    @Launch(value = "migrate", exitCode = 2)
    void isRefusedWithExitCode2AndTheServersReasonButNotThePassword(LaunchResult result) {
        assertTrue(result.getErrorOutput().contains("cannot connect with PG_ADMIN_URL postgresql://"), result.getErrorOutput());
        assertTrue(result.getErrorOutput().contains("password authentication failed"), result.getErrorOutput());
        assertFalse(result.getErrorOutput().contains("not-the-password"), result.getErrorOutput());
    }
}
