package dev.huddle.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.HashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for a LiveKit server: a WireMock server where its Twirp APIs (RoomService, Egress) would be, given as a
 * WebSocket URL as LIVEKIT_URL usually is, and the API key and secret webhooks are signed with
 * ({@link LiveKitSigner} signs like LiveKit does). A service subclasses it with its own key and secret and adds its
 * own properties in {@link #serviceProperties()}. One LiveKit per test run: tests reach the running stub through
 * {@link #server()}, called on the subclass ({@code LiveKitTestResource.server()}).
 */
public abstract class LiveKitTestServer implements QuarkusTestResourceLifecycleManager {

    private static WireMockServer server;

    private final String apiKey;
    private final String apiSecret;

    protected LiveKitTestServer(String apiKey, String apiSecret) {
        this.apiKey = apiKey;
        this.apiSecret = apiSecret;
    }

    /** The running stub, to stub and verify calls from a test. */
    public static WireMockServer server() {
        return server;
    }

    /** The service's own properties (timeouts, switches), added to the LiveKit connection. */
    protected Map<String, String> serviceProperties() {
        return Map.of();
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        Map<String, String> properties = new HashMap<>(serviceProperties());
        properties.put("huddle.livekit.url", "ws://127.0.0.1:" + server.port());
        properties.put("huddle.livekit.api-key", apiKey);
        properties.put("huddle.livekit.api-secret", apiSecret);
        return properties;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }
}
