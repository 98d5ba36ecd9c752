package dev.huddle.billing.webhooks;

import static dev.huddle.billing.BillingFixtures.stripe;
import static dev.huddle.testing.StripeStub.event;
import static dev.huddle.testing.StripeStub.eventId;
import static dev.huddle.testing.StripeStub.sign;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.huddle.billing.BillingFixtures;
import dev.huddle.billing.inbox.InboxMetrics;
import dev.huddle.testing.StripeStub;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
class StripeWebhookTest {

    @Inject
    InboxMetrics inboxMetrics;

    private static String unknownEvent() {
        return event("plan.created", """
                {"id": "price_1PgafmB7WZ01zgkW6dKueIc5", "object": "plan", "active": true, "amount": 2000,
                 "currency": "usd", "interval": "month", "product": "prod_QXg1hqf4jFNsqG"}""");
    }

    private static ValidatableResponse post(String body, String signature) {
        var request = given().contentType("application/json; charset=utf-8").body(body);
        if (signature != null) {
            request.header("Stripe-Signature", signature);
        }
        return request.when().post("/webhooks/stripe").then();
    }

    private static long stored(String eventId) {
        return (Long) TestDatabase.value("SELECT count(*) FROM billing.stripe_event_inbox WHERE id = ?", eventId);
    }

    @Test
    void aSignedEventIsStoredAndAcknowledged() {
        String body = unknownEvent();
        post(body, sign(body)).statusCode(200).body("received", equalTo(true));
        assertEquals(1, stored(eventId(body)));
        BillingFixtures.await("ignored", Duration.ofSeconds(10),
                () -> "ignored".equals(BillingFixtures.inboxStatus(eventId(body))));
    }

    @Test
    void aBadSignatureIs400AndStoresNothing() {
        String body = unknownEvent();
        String signature = sign(body).replaceAll("v1=[0-9a-f]{6}", "v1=000000");
        post(body, signature).statusCode(400).contentType("application/problem+json");
        assertEquals(0, stored(eventId(body)));
    }

    @Test
    void aMissingSignatureHeaderIs400() {
        String body = unknownEvent();
        post(body, null).statusCode(400).contentType("application/problem+json");
        assertEquals(0, stored(eventId(body)));
    }

    @Test
    void aReserializedBodyIsRefused() {
        String body = unknownEvent();
        String signature = sign(body);
        String sameJsonOtherWhitespace = body.replace("\n", "").replace(": ", ":");
        post(sameJsonOtherWhitespace, signature).statusCode(400);
        assertEquals(0, stored(eventId(body)));
    }

    @Test
    void aTimestamp301SecondsOldIsRefusedAnd299Accepted() {
        String old = unknownEvent();
        post(old, sign(old, Instant.now().getEpochSecond() - 301)).statusCode(400);
        assertEquals(0, stored(eventId(old)));

        String recent = unknownEvent();
        post(recent, sign(recent, Instant.now().getEpochSecond() - 299)).statusCode(200);
        assertEquals(1, stored(eventId(recent)));
    }

    @Test
    void anyOfTwoV1SignaturesMayMatch() {
        String body = unknownEvent();
        String valid = sign(body);
        String t = valid.substring(0, valid.indexOf(','));
        String v1 = valid.substring(valid.indexOf("v1="));
        String rotated = t + ",v1=" + "ab".repeat(32) + "," + v1;
        post(body, rotated).statusCode(200);
        assertEquals(1, stored(eventId(body)));
    }

    @Test
    void aSignedBodyThatIsNotAnEventIs400() {
        String body = "{\"hello\": \"world\"";
        post(body, sign(body)).statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String body = event("plan.created", "{\"id\": \"plan_x\", \"object\": \"plan\", \"nickname\": \""
                + "x".repeat(300 * 1024) + "\"}");
        post(body, sign(body)).statusCode(413).contentType("application/problem+json");
        assertEquals(0, stored(eventId(body)));
    }

    @Test
    void theSameEventTenTimesConcurrentlyIsStoredAndSyncedOnce() throws Exception {
        UUID org = Tenants.org("Duplicates");
        String customer = BillingFixtures.customerOf(org);
        var subscription = stripe().subscription(customer, "active").quantity(2).stub();
        String body = event("customer.subscription.updated", subscription.json());
        String signature = sign(body);

        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Callable<Integer>> posts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                posts.add(() -> post(body, signature).extract().statusCode());
            }
            for (Future<Integer> status : pool.invokeAll(posts)) {
                assertEquals(200, status.get());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1, stored(eventId(body)));
        BillingFixtures.await("the event done", Duration.ofSeconds(15),
                () -> "done".equals(BillingFixtures.inboxStatus(eventId(body))));
        // the worker had its chance to sync again: nothing was left to sync
        BillingFixtures.awaitInboxRound(inboxMetrics);
        assertEquals(1, stripe().subscriptionListCalls(customer));
        assertEquals("active", BillingFixtures.subscriptionRow(org).get("status"));
    }

    @Test
    void theWebhookAnswersFastWhileStripeTakesTenSeconds() {
        UUID org = Tenants.org("Slow Stripe");
        String customer = BillingFixtures.customerOf(org);
        var subscription = stripe().subscription(customer, "active").quantity(4);
        stripe().subscriptionsAnswer(customer, StripeStub.json(StripeStub.list(subscription.json()))
                .withFixedDelay(10_000));
        String body = event("invoice.paid", """
                {"id": "in_%s", "object": "invoice", "customer": "%s", "status": "paid"}"""
                .formatted(UUID.randomUUID().toString().substring(0, 8), customer));

        post(body, sign(body)).statusCode(200);
        // acknowledged before Stripe answered the sync (which takes ten seconds): stored, not yet processed
        assertNull(BillingFixtures.subscriptionRow(org));
        assertTrue(Set.of("pending", "processing").contains(BillingFixtures.inboxStatus(eventId(body))));

        BillingFixtures.await("the slow sync", Duration.ofSeconds(30), () -> BillingFixtures.subscriptionRow(org) != null);
        assertEquals(4, BillingFixtures.subscriptionRow(org).get("quantity"));
    }
}
