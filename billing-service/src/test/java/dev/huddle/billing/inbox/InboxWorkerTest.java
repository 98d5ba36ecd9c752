package dev.huddle.billing.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.huddle.billing.BillingFixtures.stripe;
import static dev.huddle.testing.StripeStub.event;
import static dev.huddle.testing.StripeStub.eventId;
import static dev.huddle.testing.StripeStub.sign;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import dev.huddle.billing.BillingFixtures;
import dev.huddle.billing.StripeTestResource;
import dev.huddle.testing.StripeStub;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import dev.huddle.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class InboxWorkerTest {

    /** How long the Stripe stub takes to answer a subscription list in the concurrency test. */
    private static final int STRIPE_DELAY_MS = 1500;

    private static void deliver(String event) {
        given().contentType("application/json").header("Stripe-Signature", sign(event)).body(event)
                .when().post("/webhooks/stripe").then().statusCode(200);
    }

    private static void awaitStatus(String eventId, String status) {
        BillingFixtures.await(eventId + " " + status, Duration.ofSeconds(20),
                () -> status.equals(BillingFixtures.inboxStatus(eventId)));
    }

    private static List<String> lifecycle(String customer, String subscriptionJson) {
        return List.of(
                event("checkout.session.completed", """
                        {"id": "cs_test_%s", "object": "checkout.session", "customer": "%s", "mode": "subscription"}"""
                        .formatted(UUID.randomUUID().toString().substring(0, 8), customer)),
                event("customer.subscription.created", subscriptionJson),
                event("invoice.paid", """
                        {"id": "in_%s", "object": "invoice", "customer": "%s", "status": "paid"}"""
                        .formatted(UUID.randomUUID().toString().substring(0, 8), customer)),
                event("customer.subscription.updated", subscriptionJson));
    }

    @Test
    void eventsInAnyOrderGiveTheSameState() {
        int[][] orders = { { 0, 1, 2, 3 }, { 3, 2, 1, 0 }, { 2, 0, 3, 1 } };
        List<UUID> orgs = new ArrayList<>();
        List<String> lastEvents = new ArrayList<>();
        for (int[] order : orders) {
            UUID org = Tenants.org("Order");
            orgs.add(org);
            String customer = BillingFixtures.customerOf(org);
            var sub = stripe().subscription(customer, "trialing").quantity(3).seatCap(10).stub();
            List<String> events = lifecycle(customer, sub.json());
            for (int i : order) {
                deliver(events.get(i));
            }
            events.forEach(e -> lastEvents.add(eventId(e)));
        }
        lastEvents.forEach(id -> awaitStatus(id, "done"));
        for (UUID org : orgs) {
            Map<String, Object> row = BillingFixtures.subscriptionRow(org);
            assertEquals("trialing", row.get("status"));
            assertEquals(3, row.get("quantity"));
            assertEquals(10, row.get("seat_cap"));
            assertEquals(true, row.get("entitled"));
        }
    }

    @Test
    void anEventOfAnUnknownCustomerIsIgnored() {
        String event = event("invoice.paid", "{\"id\": \"in_x\", \"object\": \"invoice\", \"customer\": \"cus_nobody\"}");
        deliver(event);
        awaitStatus(eventId(event), "ignored");
    }

    /**
     * One batch, four customers with three events each: each customer is synced once for its three events, and the
     * four syncs run at the same time (sync-concurrency 4): Stripe answers each list after 1.5 s, and the last list is
     * asked for before the first can have been answered (one after another, each would wait for the one before).
     */
    @Test
    void aBatchSyncsEachCustomerOnceForAllItsEventsAndDifferentCustomersAtOnce() {
        List<UUID> orgs = new ArrayList<>();
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            UUID org = Tenants.org("Concurrent " + i);
            String customer = BillingFixtures.customerOf(org);
            var sub = stripe().subscription(customer, "active").quantity(i + 1);
            stripe().subscriptionsAnswer(customer,
                    StripeStub.json(StripeStub.list(sub.json())).withFixedDelay(STRIPE_DELAY_MS));
            orgs.add(org);
            customers.add(customer);
        }
        String batch = UUID.randomUUID().toString().substring(0, 8);
        // one statement: the worker claims all twelve in one batch
        TestDatabase.sql("""
                INSERT INTO billing.stripe_event_inbox (id, type, stripe_created, payload, stripe_customer_id)
                SELECT 'evt_batch_' || ? || '_' || c.n || '_' || e, 'customer.subscription.updated', now(), '{}', c.id
                FROM unnest(?::text[]) WITH ORDINALITY AS c(id, n), generate_series(1, 3) e""",
                batch, customers.toArray(String[]::new));

        BillingFixtures.await("the twelve events done", Duration.ofSeconds(20), () -> (Long) TestDatabase.value("""
                SELECT count(*) FROM billing.stripe_event_inbox WHERE id LIKE ? AND status = 'done'""",
                "evt_batch_" + batch + "_%") == 12L);
        List<Long> asked = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            assertEquals(i + 1, BillingFixtures.subscriptionRow(orgs.get(i)).get("quantity"));
            assertEquals(1, stripe().subscriptionListCalls(customers.get(i)), "one sync for three events");
            asked.add(stripe().wireMock().find(RequestPatternBuilder.like(getRequestedFor(urlPathEqualTo("/v1/subscriptions"))
                    .withQueryParam("customer", equalTo(customers.get(i))).build())).get(0).getLoggedDate().getTime());
        }
        long spread = asked.stream().mapToLong(Long::longValue).max().orElseThrow()
                - asked.stream().mapToLong(Long::longValue).min().orElseThrow();
        assertTrue(spread < STRIPE_DELAY_MS, "the four syncs were not in flight together: the last asked Stripe "
                + spread + " ms after the first, which Stripe answered after " + STRIPE_DELAY_MS + " ms");
    }

    /**
     * A batch's events that concern no org are marked in one statement, each with its note: an event of a customer
     * no org has says so, an event of a type that changes no subscription has none.
     */
    @Test
    void eventsOfNoOrgAndOfOtherTypesAreIgnoredEachWithItsNote() {
        String batch = UUID.randomUUID().toString().substring(0, 8);
        String nobody = "cus_nobody_" + batch;
        TestDatabase.sql("""
                INSERT INTO billing.stripe_event_inbox (id, type, stripe_created, payload, stripe_customer_id)
                VALUES ('evt_nobody_1_' || ?, 'invoice.paid', now(), '{}', ?),
                       ('evt_nobody_2_' || ?, 'customer.subscription.updated', now(), '{}', ?),
                       ('evt_other_' || ?, 'customer.created', now(), '{}', NULL)""",
                batch, nobody, batch, nobody, batch);

        for (String id : List.of("evt_nobody_1_" + batch, "evt_nobody_2_" + batch, "evt_other_" + batch)) {
            awaitStatus(id, "ignored");
        }
        for (String id : List.of("evt_nobody_1_" + batch, "evt_nobody_2_" + batch)) {
            assertEquals("customer " + nobody + " belongs to no org",
                    TestDatabase.value("SELECT last_error FROM billing.stripe_event_inbox WHERE id = ?", id));
        }
        assertEquals(null, TestDatabase.value("SELECT last_error FROM billing.stripe_event_inbox WHERE id = ?",
                "evt_other_" + batch));
    }

    @Test
    void stripeDownIsRetriedUntilItAnswers() {
        UUID org = Tenants.org("Flaky Stripe");
        String customer = BillingFixtures.customerOf(org);
        var sub = stripe().subscription(customer, "active").quantity(7);
        String scenario = "flaky-" + customer;
        var list = get(urlPathEqualTo("/v1/subscriptions")).withQueryParam("customer", equalTo(customer));
        stripe().stub(list.inScenario(scenario).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("failed once"),
                aResponse().withStatus(500).withBody("{\"error\": {\"type\": \"api_error\"}}"));
        stripe().stub(get(urlPathEqualTo("/v1/subscriptions")).withQueryParam("customer", equalTo(customer))
                .inScenario(scenario).whenScenarioStateIs("failed once"),
                StripeStub.json(StripeStub.list(sub.json())));

        String event = event("customer.subscription.created", sub.json());
        deliver(event);
        awaitStatus(eventId(event), "done");
        assertEquals(7, BillingFixtures.subscriptionRow(org).get("quantity"));
        assertEquals(2, (Integer) TestDatabase.value("SELECT attempts FROM billing.stripe_event_inbox WHERE id = ?",
                eventId(event)));
    }

    @Test
    void afterMaxAttemptsAnEventIsDeadAndAnOperatorReplaysIt() {
        UUID org = Tenants.org("Stripe down");
        String customer = BillingFixtures.customerOf(org);
        stripe().subscriptionsAnswer(customer, aResponse().withStatus(503).withBody("{}"));
        double deadBefore = deadCounter();

        String event = event("invoice.payment_failed",
                "{\"id\": \"in_y\", \"object\": \"invoice\", \"customer\": \"%s\"}".formatted(customer));
        String id = eventId(event);
        deliver(event);
        awaitStatus(id, "dead");
        assertEquals(3, (Integer) TestDatabase.value("SELECT attempts FROM billing.stripe_event_inbox WHERE id = ?", id));
        assertTrue(deadCounter() >= deadBefore + 1);

        // an org owner is no operator
        var owner = Tenants.memberOf(org, "owner");
        given().auth().oauth2(owner.token()).when().get("/v1/billing/ops/inbox/dead").then().statusCode(404);
        given().auth().oauth2(owner.token()).when().post("/v1/billing/ops/inbox/{id}/replay", id).then().statusCode(404);
        given().when().get("/v1/billing/ops/inbox/dead").then().statusCode(401);

        String operator = TestTokens.forUser(StripeTestResource.OPERATOR);
        given().auth().oauth2(operator).when().get("/v1/billing/ops/inbox/dead").then().statusCode(200)
                .body("id", hasItem(id));

        var sub = stripe().subscription(customer, "active").quantity(2).stub();
        given().auth().oauth2(operator).when().post("/v1/billing/ops/inbox/{id}/replay", id).then().statusCode(204);
        awaitStatus(id, "done");
        assertEquals(sub.id, BillingFixtures.subscriptionRow(org).get("stripe_subscription_id"));
        given().auth().oauth2(operator).when().get("/v1/billing/ops/inbox/dead").then().statusCode(200)
                .body("id", not(hasItem(id)));
        given().auth().oauth2(operator).when().post("/v1/billing/ops/inbox/{id}/replay", id).then().statusCode(404);
    }

    private static double deadCounter() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("billing_inbox_dead_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }
}
