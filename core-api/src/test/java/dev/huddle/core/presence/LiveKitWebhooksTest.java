package dev.huddle.core.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.huddle.core.livekit.LiveKitRoomClient;
import dev.huddle.platform.config.LiveKitConfig;
import dev.huddle.platform.livekit.LiveKitWebhookReceiver;
import dev.huddle.platform.problem.ProblemException;
import dev.huddle.testing.TestConfig;
import io.vertx.mutiny.core.Vertx;

/** Without LiveKit: the verifier and the reconcile job alone, since the test run's application has it configured. */
class LiveKitWebhooksTest {

    private static LiveKitConfig config(String key, String secret) {
        return config(null, key, secret);
    }

    private static LiveKitConfig config(String url, String key, String secret) {
        return TestConfig.mapping(LiveKitConfig.class, "huddle.livekit.url", url, "huddle.livekit.api-key", key,
                "huddle.livekit.api-secret", secret);
    }

    @Test
    void withoutAnApiKeyAndSecretEveryWebhookIs503SinceNoneCanBeVerified() {
        String body = LiveKitFixtures.joined("any-room", "PA_x", "user_x", 1_795_600_010L);
        String signature = LiveKitFixtures.sign(body);
        for (LiveKitWebhookReceiver webhooks : new LiveKitWebhookReceiver[] { new LiveKitWebhookReceiver(config(null, null)),
                new LiveKitWebhookReceiver(config(LiveKitTestResource.API_KEY, null)),
                new LiveKitWebhookReceiver(config(null, LiveKitTestResource.API_SECRET)) }) {
            ProblemException refused = assertThrows(ProblemException.class, () -> webhooks.verify(body, signature));
            assertEquals(503, refused.status().getStatusCode());
            assertEquals("not-configured", refused.slug());
        }
    }

    @Test
    void withAnApiKeyAndSecretAWebhookSignedWithThemVerifiesWithoutTheUrl() {
        LiveKitWebhookReceiver webhooks = new LiveKitWebhookReceiver(
                config(LiveKitTestResource.API_KEY, LiveKitTestResource.API_SECRET));
        String body = LiveKitFixtures.joined("any-room", "PA_x", "user_x", 1_795_600_010L);
        assertEquals("participant_joined", webhooks.verify(body, LiveKitFixtures.sign(body)).getEvent());
    }

    @Test
    void reconcileIsSkippedWhileLiveKitIsNotFullyConfigured() {
        // reconciliation enabled, as by default
        PresenceConfig presence = TestConfig.mapping(PresenceConfig.class, "huddle.presence.livekit-timeout", "1s");
        Vertx vertx = Vertx.vertx();
        try {
            // the repository, service and runner are never reached
            LiveKitRoomClient noUrl = new LiveKitRoomClient(vertx,
                    config(null, LiveKitTestResource.API_KEY, LiveKitTestResource.API_SECRET));
            PresenceReconciler reconciler = new PresenceReconciler(presence, null, null, noUrl, null);
            assertFalse(reconciler.reconcile().await().atMost(Duration.ofSeconds(5)).ran());
        } finally {
            vertx.closeAndAwait();
        }
    }
}
