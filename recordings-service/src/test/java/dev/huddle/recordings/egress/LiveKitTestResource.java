package dev.huddle.recordings.egress;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for a LiveKit server: the API key and secret LiveKit signs webhooks with ({@link EgressFixtures} signs
 * like LiveKit does), and a WireMock server where its Egress Twirp API would be ({@code ListEgress}), given as a
 * WebSocket URL as LIVEKIT_URL usually is.
 */
public class LiveKitTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String API_KEY = "APIrecordingsTest";
    public static final String API_SECRET = "recordings-test-secret-0123456789abcdefghij";

    private static WireMockServer server;

    /** The running stub, to stub and verify calls from a test. */
    public static WireMockServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return Map.of(
                "huddle.livekit.url", "ws://127.0.0.1:" + server.port(),
                "huddle.livekit.api-key", API_KEY,
                "huddle.livekit.api-secret", API_SECRET,
                "huddle.recordings.jobs.livekit-timeout", "3S");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** Registers the resource for every test of the service, like {@code TestResources}. */
    @QuarkusTestResource(LiveKitTestResource.class)
    public static class Registration {
    }
}
