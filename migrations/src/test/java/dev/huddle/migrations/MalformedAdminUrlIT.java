package dev.huddle.migrations;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;

/** A PG_ADMIN_URL that is not a URL: the packaged app exits 2 saying so, without echoing the password. */
@QuarkusMainIntegrationTest
@WithTestResource(value = ScratchDatabaseResource.class, initArgs = @ResourceArg(name = "url", value = "malformed"))
class MalformedAdminUrlIT {

    @Test
    @Launch(value = "validate", exitCode = 2)
    void isRefusedWithExitCode2WithoutEchoingThePassword(LaunchResult result) {
        assertTrue(result.getErrorOutput().contains("PG_ADMIN_URL is not a usable PostgreSQL URL"), result.getErrorOutput());
        assertFalse(result.getErrorOutput().contains("s3cret"), result.getErrorOutput());
    }
}
