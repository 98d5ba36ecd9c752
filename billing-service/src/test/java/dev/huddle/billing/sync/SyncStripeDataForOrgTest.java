package dev.huddle.billing.sync;

import static dev.huddle.billing.BillingFixtures.stripe;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.huddle.billing.BillingFixtures;
import dev.huddle.billing.StripeTestResource;
import dev.huddle.testing.StripeStub;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import dev.huddle.testing.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SyncStripeDataForOrgTest {

    @Inject
    SyncStripeDataForOrg sync;

    @Inject
    MeterRegistry registry;

    @Test
    void storesTheSubscriptionWithThePeriodOfItsItem() throws Exception {
        UUID org = Tenants.org("Synced");
        String customer = BillingFixtures.customerOf(org);
        var sub = stripe().subscription(customer, "active").quantity(5).seatCap(25).stub();

        assertEquals("active", sync.run(org));

        Map<String, Object> row = BillingFixtures.subscriptionRow(org);
        assertEquals(sub.id, row.get("stripe_subscription_id"));
        assertEquals(sub.itemId, row.get("item_id"));
        assertEquals(5, row.get("quantity"));
        assertEquals(25, row.get("seat_cap"));
        assertEquals("price_test_seat", row.get("price_id"));
        assertEquals(sub.periodEnd() * 1000, ((java.sql.Timestamp) row.get("current_period_end")).getTime());
        assertEquals(true, row.get("entitled"));
    }

    @Test
    void aLiveSubscriptionWinsOverANewerCanceledOne() throws Exception {
        UUID org = Tenants.org("Two subscriptions");
        String customer = BillingFixtures.customerOf(org);
        long now = Instant.now().getEpochSecond();
        var old = stripe().subscription(customer, "active").created(now - 10_000);
        var newer = stripe().subscription(customer, "canceled").created(now - 100);
        var newestExpired = stripe().subscription(customer, "incomplete_expired").created(now - 10);
        stripe().subscriptions(customer, newer.json(), newestExpired.json(), old.json());

        sync.run(org);

        assertEquals(old.id, BillingFixtures.subscriptionRow(org).get("stripe_subscription_id"));
    }

    @Test
    void aDeletedCustomerRemovesTheSubscription() throws Exception {
        UUID org = Tenants.org("Deleted customer");
        String customer = BillingFixtures.customerOf(org);
        stripe().subscription(customer, "active").stub();
        sync.run(org);
        assertNotNull(BillingFixtures.subscriptionRow(org));

        stripe().customerDeleted(customer);
        assertEquals("none", sync.run(org));
        assertNull(BillingFixtures.subscriptionRow(org));
    }

    @Test
    void noSubscriptionAtAllRemovesTheRow() throws Exception {
        UUID org = Tenants.org("No subscription");
        String customer = BillingFixtures.customerOf(org);
        stripe().subscriptions(customer);
        assertEquals("none", sync.run(org));
        assertNull(BillingFixtures.subscriptionRow(org));
    }

    @Test
    void cancelAtPeriodEndStaysEntitledUntilThePeriodEnds() throws Exception {
        UUID org = Tenants.org("Cancelling");
        String customer = BillingFixtures.customerOf(org);
        stripe().subscription(customer, "active").cancelAtPeriodEnd(Instant.now().getEpochSecond() + 86_400).stub();
        sync.run(org);
        Map<String, Object> row = BillingFixtures.subscriptionRow(org);
        assertEquals(true, row.get("cancel_at_period_end"));
        assertEquals(true, row.get("entitled"));

        // the period ended and Stripe has not sent the deleted event yet
        stripe().subscription(customer, "active").cancelAtPeriodEnd(Instant.now().getEpochSecond() - 60).stub();
        sync.run(org);
        row = BillingFixtures.subscriptionRow(org);
        assertEquals(false, row.get("entitled"));
        assertEquals("canceled", row.get("reason"));
    }

    @Test
    void pastDueIsEntitledInsideTheGraceAndNotAfter() throws Exception {
        UUID org = Tenants.org("Past due");
        String customer = BillingFixtures.customerOf(org);
        var sub = stripe().subscription(customer, "past_due").stub();
        sync.run(org);
        Map<String, Object> row = BillingFixtures.subscriptionRow(org);
        assertNotNull(row.get("payment_failed_at"));
        assertEquals(true, row.get("entitled"));
        assertEquals("past_due_grace", row.get("reason"));

        // the first failure was 8 days ago: a later sync keeps it, so the 7-day grace is over
        TestDatabase.sql("UPDATE billing.org_subscriptions SET payment_failed_at = now() - interval '8 days' "
                + "WHERE org_id = ?", org);
        sync.run(org);
        row = BillingFixtures.subscriptionRow(org);
        assertEquals(false, row.get("entitled"));
        assertEquals("past_due_grace_over", row.get("reason"));

        // paid again: the failure is forgotten
        stripe().subscriptions(customer, sub.json().replace("\"past_due\"", "\"active\""));
        sync.run(org);
        row = BillingFixtures.subscriptionRow(org);
        assertNull(row.get("payment_failed_at"));
        assertNull(row.get("grace_ends_at"));
        assertEquals(true, row.get("entitled"));
    }

    private static void deliver(String event) {
        given().contentType("application/json").header("Stripe-Signature", StripeStub.sign(event)).body(event)
                .when().post("/webhooks/stripe").then().statusCode(200);
        BillingFixtures.await("event processed", Duration.ofSeconds(15),
                () -> "done".equals(BillingFixtures.inboxStatus(StripeStub.eventId(event))));
    }

    private static String invoice(String type, String customer, String subscription, String status, int daysAgo) {
        return StripeStub.event(type, """
                {"id": "%s", "object": "invoice", "customer": "%s", "status": "%s",
                 "parent": {"type": "subscription_details", "quote_details": null,
                  "subscription_details": {"metadata": {}, "subscription": "%s"}}}"""
                .formatted(StripeStub.id("in"), customer, status, subscription),
                Instant.now().minus(daysAgo, ChronoUnit.DAYS));
    }

    private static void assertAbout(OffsetDateTime expected, Object actual) {
        Instant stored = ((java.sql.Timestamp) actual).toInstant();
        assertTrue(Duration.between(expected.toInstant(), stored).abs().compareTo(Duration.ofMinutes(1)) < 0,
                "expected about " + expected + ", was " + stored);
    }

    @Test
    void aPastDueEventProcessedThreeDaysLateLeavesFourDaysOfGrace() throws Exception {
        UUID org = Tenants.org("Late past due");
        String customer = BillingFixtures.customerOf(org);
        var sub = stripe().subscription(customer, "active").stub();
        // an earlier failure of the same subscription, paid since: it does not start this grace
        deliver(invoice("invoice.payment_failed", customer, sub.id, "open", 20));
        deliver(invoice("invoice.paid", customer, sub.id, "paid", 15));
        stripe().subscriptions(customer, sub.json().replace("\"active\"", "\"past_due\""));
        // a sync before the event is processed (the nightly reconciliation, say) can only guess now()
        sync.run(org);

        Instant happened = Instant.now().minus(3, ChronoUnit.DAYS);
        deliver(StripeStub.event("customer.subscription.updated",
                sub.json().replace("\"active\"", "\"past_due\""), happened));

        Map<String, Object> row = BillingFixtures.subscriptionRow(org);
        OffsetDateTime now = OffsetDateTime.now();
        assertAbout(now.minusDays(3), row.get("payment_failed_at"));
        assertAbout(now.plusDays(4), row.get("grace_ends_at"));
        assertEquals(true, row.get("entitled"));
        assertEquals("past_due_grace", row.get("reason"));

        // later syncs keep Stripe's time
        sync.run(org);
        assertAbout(now.plusDays(4), BillingFixtures.subscriptionRow(org).get("grace_ends_at"));
    }

    @Test
    void twoLiveSubscriptionsOfOneCustomerAreFlaggedToOperators() throws Exception {
        UUID org = Tenants.org("Subscribed twice");
        var owner = Tenants.memberOf(org, "owner");
        String customer = BillingFixtures.customerOf(org);
        long now = Instant.now().getEpochSecond();
        var first = stripe().subscription(customer, "active").created(now - 600);
        var second = stripe().subscription(customer, "active").created(now - 300);
        stripe().subscriptions(customer, first.json(), second.json());
        var counter = registry.find("billing.subscriptions.duplicated").counter();
        double before = counter == null ? 0 : counter.count();

        sync.run(org);
        sync.run(org);

        Map<String, Object> row = BillingFixtures.subscriptionRow(org);
        assertEquals(second.id, row.get("stripe_subscription_id"));
        assertEquals(before + 1, registry.find("billing.subscriptions.duplicated").counter().count());
        String operator = TestTokens.forUser(StripeTestResource.OPERATOR);
        String entry = "find { it.orgId == '%s' }".formatted(org);
        given().auth().oauth2(operator).when().get("/v1/billing/ops/subscriptions/duplicated").then().statusCode(200)
                .body(entry + ".stripeCustomerId", equalTo(customer))
                .body(entry + ".subscriptionId", equalTo(second.id))
                .body(entry + ".otherLiveSubscriptionIds", equalTo(List.of(first.id)));
        given().auth().oauth2(owner.token()).when().get("/v1/billing/ops/subscriptions/duplicated").then()
                .statusCode(404);
        given().when().get("/v1/billing/ops/subscriptions/duplicated").then().statusCode(401);

        // the operator cancels the extra one in Stripe: the next sync clears the flag
        stripe().subscriptions(customer, first.json().replace("\"active\"", "\"canceled\""), second.json());
        sync.run(org);
        given().auth().oauth2(operator).when().get("/v1/billing/ops/subscriptions/duplicated").then().statusCode(200)
                .body(entry, nullValue());
    }
}
