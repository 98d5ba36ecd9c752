package dev.huddle.realtime.proxy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** The application in the prod profile without {@code CENTRIFUGO_PROXY_SECRET}: it does not start, and says why. */
@QuarkusMainTest
@TestProfile(ProdWithoutProxySecretTest.ProdWithoutSecret.class)
class ProdWithoutProxySecretTest {

    public static class ProdWithoutSecret implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("huddle.realtime.proxy.secret", "", "quarkus.log.console.json.enabled", "false");
        }
    }

    @Test
    @Launch(value = {}, exitCode = 1)
    void theProdProfileRefusesToStartWithoutTheProxySecret(LaunchResult result) {
        String output = result.getOutput() + "\n" + result.getErrorOutput();
        assertTrue(output.contains("CENTRIFUGO_PROXY_SECRET is not set"), output);
    }
}
