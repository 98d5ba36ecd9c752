package dev.huddle.systemtests;

import static dev.huddle.systemtests.Api.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.huddle.testing.StripeStub;
import dev.huddle.testing.TestDatabase;

/**
 * {@code kill -9} of billing-service while Stripe delivers webhooks, then a restart: every event billing acknowledged
 * is processed once, and every one it did not is redelivered (as Stripe retries) and processed once.
 */
@ExtendWith(SystemStack.class)
class BillingCrashIT {

    static final int EVENTS = Integer.getInteger("huddle.system-tests.webhooks", 200);
    static final int SENDERS = 16;

    @Test
    void everyAcknowledgedEventIsProcessedOnceAcrossAKill(Stack stack) throws Exception {
        Tenant tenant = Tenant.entitled(stack, "Webhook Crash Co");
        String subscription = tenant.customer().subscription("active", 1);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            events.add(StripeStub.event("customer.subscription.updated", subscription, Instant.now()));
        }
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger sent = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            List<Future<?>> deliveries = new ArrayList<>();
            for (String event : events) {
                deliveries.add(senders.submit(() -> {
                    sent.incrementAndGet();
                    if (deliver(stack, event)) {
                        acknowledged.add(eventId(event));
                    }
                }));
            }
            stack.step("kill -9 billing-service with webhooks in flight", stack.billing, () -> {
                await("a third acknowledged", Duration.ofSeconds(60), () -> acknowledged.size() >= EVENTS / 3);
                stack.billing.kill();
            });
            for (Future<?> f : deliveries) {
                f.get();
            }
        } finally {
            senders.shutdownNow();
        }
        int acknowledgedBeforeRestart = acknowledged.size();
        assertTrue(acknowledgedBeforeRestart < EVENTS, "the kill came after every event was acknowledged");

        stack.step("billing-service restarts", stack.billing, () -> stack.restart(stack.billing));

        stack.step("Stripe redelivers what was not acknowledged", stack.billing, () -> {
            for (String event : events) {
                if (!acknowledged.contains(eventId(event))) {
                    await("redelivery acknowledged", Duration.ofSeconds(30), () -> deliver(stack, event));
                    acknowledged.add(eventId(event));
                }
            }
            // Stripe also redelivers events it did get a 2xx for, now and then: still one row, processed once
            assertTrue(deliver(stack, events.get(0)));
        });

        String[] ids = events.stream().map(BillingCrashIT::eventId).toArray(String[]::new);
        stack.step("every event is in the inbox once and processed", stack.billing, () -> {
            await("all processed", Duration.ofSeconds(90), () -> count(ids, "status = 'done'") == EVENTS);
            assertEquals(EVENTS, count(ids, "true"), "one inbox row per event");
            assertEquals(0, count(ids, "status <> 'done'"));
            assertEquals(EVENTS, count(ids, "processed_at IS NOT NULL"));
        });
    }

    /** Whether billing acknowledged the delivery of {@code event} (a 2xx; no answer at all is none). */
    static boolean deliver(Stack stack, String event) {
        try {
            return Api.stripeWebhook(stack, event).extract().statusCode() / 100 == 2;
        } catch (Exception e) {
            // no answer (connection refused or reset, the response lost): Stripe saw no acknowledgement and will retry
            return false;
        }
    }

    private static long count(String[] ids, String condition) {
        return (Long) TestDatabase.value("SELECT count(*) FROM billing.stripe_event_inbox WHERE id = ANY (?) AND "
                + condition, (Object) ids);
    }

    static String eventId(String event) {
        return event.substring(event.indexOf("\"evt_") + 1, event.indexOf('"', event.indexOf("\"evt_") + 1));
    }

}
