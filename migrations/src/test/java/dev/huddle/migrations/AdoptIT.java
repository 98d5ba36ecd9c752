package dev.huddle.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainLauncher;

/** {@code adopt} through the packaged app, as the Job runs it, on the pre-restructure fixture. */
@QuarkusMainIntegrationTest
@WithTestResource(value = ScratchDatabaseResource.class, initArgs = @ResourceArg(name = "url", value = "legacy"))
class AdoptIT {

    @AfterAll
    static void dropDatabase() {
        ScratchDatabaseResource.dropCurrent();
    }

    @Test
    void planThenAdoptWithAReportThenARunThatChangesNothing(QuarkusMainLauncher launcher, @TempDir Path dir)
            throws IOException {
        LaunchResult plan = launcher.launch("adopt", "--plan");
        assertEquals(0, plan.exitCode(), plan.getErrorOutput());
        assertTrue(
                plan.getOutput()
                        .contains("move-messages-threads: public.chat_messages (thread starts) -> core.messages, 800 rows"),
                plan.getOutput());

        Path report = dir.resolve("report.txt");
        LaunchResult adopt = launcher.launch("adopt", "--report", report.toString());
        assertEquals(0, adopt.exitCode(), adopt.getErrorOutput());
        assertTrue(adopt.getErrorOutput().contains("adopt: move-messages-replies: 200 of 200 rows moved (100%)"),
                adopt.getErrorOutput());
        assertTrue(Files.readString(report).contains("messages: 1000 -> 1000"), Files.readString(report));

        LaunchResult again = launcher.launch("adopt", "--report", dir.resolve("again.txt").toString());
        assertEquals(0, again.exitCode(), again.getErrorOutput());
        assertTrue(again.getErrorOutput().contains("adopted before; nothing to do, nothing changed"), again.getErrorOutput());

        LaunchResult verify = launcher.launch("verify");
        assertEquals(0, verify.exitCode(), verify.getErrorOutput());
    }
}
