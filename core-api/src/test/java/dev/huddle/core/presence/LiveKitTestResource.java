package dev.huddle.core.presence;

import java.util.Map;

import dev.huddle.testing.LiveKitTestServer;

/**
 * core-api's LiveKit stand-in ({@link LiveKitTestServer}): RoomService's Twirp API on WireMock and the key and secret
 * {@link LiveKitFixtures} signs webhooks with. The scheduled reconcile is off: tests run passes themselves.
 */
public class LiveKitTestResource extends LiveKitTestServer {

    public static final String API_KEY = "APIpresenceTest";
    public static final String API_SECRET = "presence-test-secret-0123456789abcdefghijkl";

    public LiveKitTestResource() {
        super(API_KEY, API_SECRET);
    }

    @Override
    protected Map<String, String> serviceProperties() {
        return Map.of(
                "huddle.presence.reconcile-enabled", "false",
                "huddle.presence.livekit-timeout", "3s");
    }
}
