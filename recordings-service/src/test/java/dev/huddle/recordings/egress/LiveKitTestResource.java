package dev.huddle.recordings.egress;

import java.util.Map;

import dev.huddle.testing.LiveKitTestServer;
import io.quarkus.test.common.QuarkusTestResource;

/**
 * recordings-service's LiveKit stand-in ({@link LiveKitTestServer}): the Egress Twirp API ({@code ListEgress}) on
 * WireMock and the key and secret {@link EgressFixtures} signs webhooks with.
 */
public class LiveKitTestResource extends LiveKitTestServer {

    public static final String API_KEY = "APIrecordingsTest";
    public static final String API_SECRET = "recordings-test-secret-0123456789abcdefghij";

    public LiveKitTestResource() {
        super(API_KEY, API_SECRET);
    }

    @Override
    protected Map<String, String> serviceProperties() {
        return Map.of("huddle.recordings.jobs.livekit-timeout", "3S");
    }

    /** Registers the resource for every test of the service, like {@code TestResources}. */
    @QuarkusTestResource(LiveKitTestResource.class)
    public static class Registration {
    }
}
