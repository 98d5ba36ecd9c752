package dev.huddle.billing.config;

import java.util.Optional;

import dev.huddle.platform.config.ExternalService;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Stripe, through stripe-java pinned to API version 2026-07-29.dahlia. */
@ConfigMapping(prefix = "huddle.stripe")
public interface StripeConfig {

    /** Secret API key ({@code sk_...} or a restricted {@code rk_...}). Environment: {@code STRIPE_API_KEY}. */
    Optional<String> apiKey();

    /** The webhook endpoint's signing secret ({@code whsec_...}). Environment: {@code STRIPE_WEBHOOK_SECRET}. */
    Optional<String> webhookSecret();

    /** API base URL (tests point it at a stub). Environment: {@code STRIPE_API_BASE}. */
    @WithDefault("https://api.stripe.com")
    String apiBase();

    /** How long a Stripe API call may take to answer. */
    @WithDefault("PT30S")
    java.time.Duration readTimeout();

    /** stripe-java's own retries of failed calls (the inbox and seat workers retry too). */
    @WithDefault("0")
    int maxNetworkRetries();

    default ExternalService asExternalService() {
        return ExternalService.of("Stripe", "Stripe webhooks are refused, checkout and portal are unavailable",
                "STRIPE_API_KEY", apiKey(), "STRIPE_WEBHOOK_SECRET", webhookSecret());
    }
}
