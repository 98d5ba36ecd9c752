package dev.huddle.billing.stripe;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import com.stripe.StripeClient;

import dev.huddle.billing.config.StripeConfig;
import dev.huddle.platform.problem.ProblemException;

/** The one stripe-java client (pinned API version 2026-07-29.dahlia), when Stripe is configured. */
@ApplicationScoped
public class StripeApi {

    private final StripeClient client;

    public StripeApi(StripeConfig config) {
        this.client = config.apiKey().filter(k -> !k.isBlank())
                .map(key -> StripeClient.builder()
                        .setApiKey(key)
                        .setApiBase(config.apiBase())
                        .setConnectTimeout(10_000)
                        .setReadTimeout((int) config.readTimeout().toMillis())
                        .setMaxNetworkRetries(config.maxNetworkRetries())
                        .build())
                .orElse(null);
    }

    public boolean configured() {
        return client != null;
    }

    /** The client; a 503 problem when {@code STRIPE_API_KEY} is not set. */
    public StripeClient client() {
        if (client == null) {
            throw notConfigured();
        }
        return client;
    }

    public static ProblemException notConfigured() {
        return new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "not-configured",
                "billing is not available: Stripe is not configured");
    }
}
