package dev.huddle.billing.webhooks;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;

import dev.huddle.billing.config.BillingConfig;
import dev.huddle.billing.config.StripeConfig;
import dev.huddle.billing.inbox.InboxEvent;
import dev.huddle.billing.inbox.InboxRepository;
import dev.huddle.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/** Verifies a Stripe webhook against its raw body and reads what the inbox needs from the raw JSON. */
@ApplicationScoped
public class StripeWebhooks {

    private final StripeConfig stripe;
    private final BillingConfig config;
    private final InboxRepository inbox;
    private final ObjectMapper json;

    public StripeWebhooks(StripeConfig stripe, BillingConfig config, InboxRepository inbox, ObjectMapper json) {
        this.stripe = stripe;
        this.config = config;
        this.inbox = inbox;
        this.json = json;
    }

    /**
     * Checks the signature (any {@code v1} may match, within the tolerance) and reads the event's ids from the raw
     * JSON, never through the typed deserializer: an event of another API version deserializes to nothing.
     */
    public InboxEvent verify(String payload, String signatureHeader) {
        String secret = stripe.webhookSecret().filter(s -> !s.isBlank()).orElseThrow(
                () -> new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "not-configured",
                        "Stripe webhooks are not configured"));
        if (signatureHeader == null || signatureHeader.isBlank()) {
            throw ProblemException.badRequest("the Stripe-Signature header is missing");
        }
        try {
            Webhook.constructEvent(payload, signatureHeader, secret, config.webhook().tolerance().toSeconds());
        } catch (SignatureVerificationException e) {
            throw ProblemException.badRequest("the Stripe-Signature does not match the body");
        } catch (RuntimeException e) {
            // a signed body that is not an event (stripe-java's Gson fails on it)
            throw ProblemException.badRequest("the body is not a Stripe event");
        }
        return read(payload);
    }

    public Uni<Boolean> store(InboxEvent event) {
        return inbox.insert(event);
    }

    InboxEvent read(String payload) {
        JsonNode root;
        try {
            root = json.readTree(payload);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("the body is not a Stripe event");
        }
        if (root == null || !root.isObject() || !root.path("id").isTextual() || !root.path("type").isTextual()
                || !root.path("created").canConvertToLong()) {
            throw ProblemException.badRequest("the body is not a Stripe event");
        }
        String type = root.get("type").asText();
        JsonNode object = root.path("data").path("object");
        String customer = null;
        if (type.startsWith("customer.") && "customer".equals(object.path("object").asText())) {
            customer = textOrNull(object.path("id"));
        } else {
            JsonNode c = object.path("customer");
            customer = c.isObject() ? textOrNull(c.path("id")) : textOrNull(c);
        }
        return new InboxEvent(root.get("id").asText(), type, textOrNull(root.path("api_version")),
                OffsetDateTime.ofInstant(Instant.ofEpochSecond(root.get("created").asLong()), ZoneOffset.UTC),
                payload, customer);
    }

    private static String textOrNull(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }
}
