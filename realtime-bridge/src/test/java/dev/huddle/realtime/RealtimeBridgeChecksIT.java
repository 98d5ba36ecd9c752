package dev.huddle.realtime;

import java.util.HashMap;
import java.util.Map;

import dev.huddle.testing.PackagedAppProfile;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** The service checks against the packaged app ({@code quarkus-run.jar}, prod profile), on its own database. */
@QuarkusIntegrationTest
@TestProfile(RealtimeBridgeChecksIT.Deployed.class)
class RealtimeBridgeChecksIT extends RealtimeBridgeChecksTest {

    /** As deployed, the prod profile also requires the subscribe proxy's secret (it refuses to start without one). */
    public static class Deployed extends PackagedAppProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("huddle.realtime.proxy.secret", "checks-proxy-secret");
            return overrides;
        }
    }
}
