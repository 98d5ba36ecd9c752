package dev.huddle.recordings.egress;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** The API key and secret LiveKit signs webhooks with; {@link EgressFixtures} signs like LiveKit does. */
public class LiveKitTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String API_KEY = "APIrecordingsTest";
    public static final String API_SECRET = "recordings-test-secret-0123456789abcdefghij";

    @Override
    public Map<String, String> start() {
        return Map.of("huddle.livekit.api-key", API_KEY, "huddle.livekit.api-secret", API_SECRET);
    }

    @Override
    public void stop() {
    }

    /** Registers the resource for every test of the service, like {@code TestResources}. */
    @QuarkusTestResource(LiveKitTestResource.class)
    public static class Registration {
    }
}
