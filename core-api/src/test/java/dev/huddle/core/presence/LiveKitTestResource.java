package dev.huddle.core.presence;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for a LiveKit server: a WireMock server where RoomService's Twirp API would be, and the API key and
 * secret webhooks are signed with ({@link LiveKitFixtures} signs them like LiveKit does). The URL is given as a
 * WebSocket URL, as LIVEKIT_URL usually is. The scheduled reconcile is off: tests run passes themselves.
 */
public class LiveKitTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String API_KEY = "APIpresenceTest";
    public static final String API_SECRET = "presence-test-secret-0123456789abcdefghijkl";

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
                "huddle.presence.reconcile-enabled", "false",
                "huddle.presence.livekit-timeout", "3s");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }
}
