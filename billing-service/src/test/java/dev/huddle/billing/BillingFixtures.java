package dev.huddle.billing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;

import dev.huddle.billing.inbox.InboxMetrics;
import dev.huddle.testing.StripeStub;
import dev.huddle.testing.TestDatabase;

/** Billing's test data around the stubbed Stripe ({@link StripeTestResource}): customers, stored rows, waiting. */
public final class BillingFixtures {

    private BillingFixtures() {
    }

    /** The stubbed Stripe billing-service talks to in this test run. */
    public static StripeStub stripe() {
        return StripeStub.at(ConfigProvider.getConfig().getValue(StripeTestResource.PORT_PROPERTY, Integer.class));
    }

    /** A Stripe customer of {@code orgId}, known to billing (as checkout would have made it). */
    public static String customerOf(UUID orgId) {
        String customer = stripe().customer(orgId);
        TestDatabase.sql("INSERT INTO billing.customers (org_id, stripe_customer_id) VALUES (?, ?)", orgId, customer);
        return customer;
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(condition::getAsBoolean);
    }

    /**
     * Waits for an inbox worker round that began after this call, so that what the worker would do with the
     * database as it is now is done (and its gauges show it): the round under way when called may have read the
     * database before the caller's change, so two more rounds are awaited.
     */
    public static void awaitInboxRound(InboxMetrics metrics) {
        long seen = metrics.rounds();
        await("two inbox worker rounds", Duration.ofSeconds(15), () -> metrics.rounds() >= seen + 2);
    }

    public static Map<String, Object> subscriptionRow(UUID orgId) {
        List<Map<String, Object>> rows = TestDatabase.sql("""
                SELECT s.*, e.entitled, e.reason FROM billing.org_subscriptions s
                JOIN billing.org_entitlements e USING (org_id) WHERE s.org_id = ?""", orgId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    public static String inboxStatus(String eventId) {
        List<Map<String, Object>> rows = TestDatabase.sql("SELECT status FROM billing.stripe_event_inbox WHERE id = ?",
                eventId);
        return rows.isEmpty() ? null : (String) rows.get(0).get("status");
    }
}
