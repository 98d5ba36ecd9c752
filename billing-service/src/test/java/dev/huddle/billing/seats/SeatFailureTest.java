package dev.huddle.billing.seats;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.huddle.billing.BillingFixtures.stripe;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.CardException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.RateLimitException;

import dev.huddle.billing.BillingFixtures;
import dev.huddle.billing.StripeTestResource;
import dev.huddle.billing.sync.SyncStripeDataForOrg;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import dev.huddle.testing.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/** Test settings: max-attempts 3, backoff 2 s doubled up to 4 s (jitter takes off at most a fifth), rounds of 1 s. */
@QuarkusTest
class SeatFailureTest {

    @Inject
    SyncStripeDataForOrg sync;

    @Inject
    SeatWorker worker;

    @Inject
    MeterRegistry registry;

    private static List<LoggedRequest> quantityUpdates(String itemId) {
        return stripe().wireMock().find(postRequestedFor(urlPathEqualTo("/v1/subscription_items/" + itemId)));
    }

    private static Object failureStatus(UUID org) {
        var rows = TestDatabase.sql("SELECT status FROM billing.seat_sync_failures WHERE org_id = ?", org);
        return rows.isEmpty() ? null : rows.get(0).get("status");
    }

    private static long pendingChanges(UUID org) {
        return (Long) TestDatabase.value(
                "SELECT count(*) FROM billing.seat_changes WHERE org_id = ? AND processed_at IS NULL", org);
    }

    private static long millisBetween(LoggedRequest earlier, LoggedRequest later) {
        return later.getLoggedDate().getTime() - earlier.getLoggedDate().getTime();
    }

    private double deadCount() {
        var counter = registry.find("billing.seats.dead").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aQuantityStripeRefusesIsTriedLessAndLessOftenThenDeadAndShownToOperators() throws Exception {
        UUID org = Tenants.org("Refused seats");
        var owner = Tenants.memberOf(org, "owner");
        Tenants.memberOf(org, "member");
        String customer = BillingFixtures.customerOf(org);
        var sub = stripe().subscription(customer, "active").quantity(1).remembered().stub();
        sync.run(org);
        // Stripe refuses the update (its own error shape for a 400)
        stripe().stub(post(urlPathEqualTo("/v1/subscription_items/" + sub.itemId)), aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withHeader("Request-Id", "req_refused")
                .withBody(
                        """
                                {"error": {"code": "resource_missing", "doc_url": "https://stripe.com/docs/error-codes/resource-missing",
                                 "message": "No such subscription item: '%s'", "param": "id",
                                 "request_log_url": "https://dashboard.stripe.com/test/logs/req_refused",
                                 "type": "invalid_request_error"}}"""
                                .formatted(sub.itemId)));
        double deadBefore = deadCount();

        TestDatabase.sql("INSERT INTO billing.seat_changes (org_id, reason) VALUES (?, 'member added')", org);

        BillingFixtures.await("the org's seat sync dead", Duration.ofSeconds(30), () -> "dead".equals(failureStatus(org)));
        List<LoggedRequest> attempts = quantityUpdates(sub.itemId);
        assertEquals(3, attempts.size());
        // rounds run every second; the attempts wait 2 s, then 4 s (less at most a fifth of jitter)
        assertTrue(millisBetween(attempts.get(0), attempts.get(1)) >= 1600, "first wait");
        assertTrue(millisBetween(attempts.get(1), attempts.get(2)) >= 3200, "second wait");
        assertEquals(deadBefore + 1, deadCount());

        // the worker has its rounds, and leaves the dead org alone; the change still waits
        worker.poll();
        worker.poll();
        assertEquals(3, quantityUpdates(sub.itemId).size());
        assertEquals(1, pendingChanges(org));

        String operator = TestTokens.forUser(StripeTestResource.OPERATOR);
        given().auth().oauth2(operator).when().get("/v1/billing/ops/seats/dead").then().statusCode(200)
                .body("find { it.orgId == '%s' }.attempts".formatted(org), equalTo(3))
                .body("find { it.orgId == '%s' }.pendingChanges".formatted(org), equalTo(1))
                .body("find { it.orgId == '%s' }.lastError".formatted(org), containsString("No such subscription item"));
        given().auth().oauth2(owner.token()).when().get("/v1/billing/ops/seats/dead").then().statusCode(404);
        given().auth().oauth2(owner.token()).when().post("/v1/billing/ops/seats/{targetOrgId}/retry", org).then()
                .statusCode(404);
        given().when().get("/v1/billing/ops/seats/dead").then().statusCode(401);

        // fixed in Stripe; the operator retries and the change goes through
        sub.stub();
        given().auth().oauth2(operator).when().post("/v1/billing/ops/seats/{targetOrgId}/retry", org).then().statusCode(204);
        BillingFixtures.await("the change synced", Duration.ofSeconds(15), () -> pendingChanges(org) == 0);
        assertEquals(2, TestDatabase.value("SELECT quantity FROM billing.org_subscriptions WHERE org_id = ?", org));
        assertNull(failureStatus(org));
        given().auth().oauth2(operator).when().post("/v1/billing/ops/seats/{targetOrgId}/retry", org).then().statusCode(404);
    }

    @Test
    void onlyStripeRefusingTheUpdateCountsTowardsDead() {
        assertTrue(SeatWorker.refused(new InvalidRequestException("no such item", "id", "req_1",
                "resource_missing", 404, null)));
        assertTrue(SeatWorker.refused(new InvalidRequestException("bad quantity", "quantity",
                "req_2", "parameter_invalid_integer", 400, null)));
        assertTrue(SeatWorker.refused(new CardException("declined", "req_3", "card_declined",
                null, null, null, 402, null)));
        assertEquals(false, SeatWorker.refused(new RateLimitException("slow down", null,
                "req_4", "rate_limit", 429, null)));
        assertEquals(false, SeatWorker.refused(new ApiException("lock timeout", "req_5",
                "lock_timeout", 409, null)));
        assertEquals(false, SeatWorker.refused(new ApiException("internal", "req_6", null, 500,
                null)));
        assertEquals(false, SeatWorker.refused(new ApiConnectionException("unreachable")));
        assertEquals(false, SeatWorker.refused(new IllegalStateException("database")));
    }
}
