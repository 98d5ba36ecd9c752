package dev.huddle.billing.inbox;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.huddle.billing.BillingFixtures;
import dev.huddle.testing.StripeStub;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class InboxMetricsTest {

    private static final String AGE = "billing_inbox_oldest_age_seconds";

    @Inject
    InboxMetrics metrics;

    /** The value of an untagged meter as Prometheus scrapes it. */
    static double scraped(String name) {
        String metrics = given().accept("text/plain").when().get("/q/metrics").then().statusCode(200).extract()
                .asString();
        return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not exposed"));
    }

    private static long unprocessed() {
        return (Long) TestDatabase.value(
                "SELECT count(*) FROM billing.stripe_event_inbox WHERE status IN ('pending', 'processing')");
    }

    @Test
    void anEventLeftUnprocessedReportsHowLongItHasWaited() {
        String id = StripeStub.id("evt");
        // arrived a day ago and backing off for another hour: the worker leaves it where it is
        TestDatabase.sql("""
                INSERT INTO billing.stripe_event_inbox (id, type, stripe_created, payload, status, attempts,
                    next_attempt_at, received_at)
                VALUES (?, 'invoice.paid', now() - interval '1 day', '{}'::jsonb, 'pending', 1,
                    now() + interval '1 hour', now() - interval '1 day')""", id);
        try {
            BillingFixtures.awaitInboxRound(metrics);
            double age = scraped(AGE);
            assertTrue(age >= 86_400 && age < 86_400 + 300, "oldest age " + age);
        } finally {
            TestDatabase.sql("DELETE FROM billing.stripe_event_inbox WHERE id = ?", id);
        }
    }

    @Test
    void noUnprocessedEventReportsZero() {
        // events other tests left are processed, retried or dead within seconds (max-attempts 3, backoff at most 1 s)
        BillingFixtures.await("no unprocessed event", Duration.ofSeconds(30), () -> unprocessed() == 0);
        BillingFixtures.awaitInboxRound(metrics);
        assertEquals(0, unprocessed());
        assertEquals(0.0, scraped(AGE));
    }
}
