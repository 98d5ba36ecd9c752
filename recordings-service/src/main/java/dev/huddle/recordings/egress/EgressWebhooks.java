package dev.huddle.recordings.egress;

import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.platform.config.LiveKitConfig;
import dev.huddle.platform.livekit.LiveKitWebhookVerifier;
import livekit.LivekitWebhook.WebhookEvent;

/** LiveKit's egress webhooks, verified by the platform's {@link LiveKitWebhookVerifier}. */
@ApplicationScoped
public class EgressWebhooks {

    private final LiveKitWebhookVerifier verifier;

    public EgressWebhooks(LiveKitConfig config) {
        this.verifier = new LiveKitWebhookVerifier(config);
    }

    /** The event, once verified: see {@link LiveKitWebhookVerifier#verify}. */
    public WebhookEvent verify(String body, String authorization) {
        return verifier.verify(body, authorization);
    }
}
