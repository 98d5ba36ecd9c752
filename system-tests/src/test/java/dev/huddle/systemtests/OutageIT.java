package dev.huddle.systemtests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.huddle.systemtests.Api.as;
import static dev.huddle.systemtests.Api.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import dev.huddle.testing.StripeStub;
import dev.huddle.testing.TestDatabase;

/**
 * Outside services down for {@link Stack#OUTAGE} ({@code -Doutage.seconds}; a minute in the full run): what waited for
 * them drains when they return, nothing lost or doubled.
 */
@ExtendWith(SystemStack.class)
class OutageIT {

    static final Duration OUTAGE = Stack.OUTAGE;
    /** The first retries come within this, however long the outage. */
    static final Duration RETRIES = Duration.ofSeconds(10);
    static final int MESSAGES = 30;

    @Test
    void messagesCommittedWhileCentrifugoIsDownArePublishedOnceInOrderWhenItReturns(Stack stack) {
        Tenant tenant = Tenant.entitled(stack, "Centrifugo Outage Co");
        UUID room = stack.step("create a room", stack.core, () -> UUID.fromString(as(stack.core,
                tenant.owner().token()).body(Map.of("name", "Outage room")).post("/v1/orgs/{org}/rooms", tenant.org())
                .then().statusCode(201).extract().path("id")));
        String channel = "room:" + room;
        List<String> posted = new ArrayList<>();
        stack.centrifugo.down(true);
        Instant began = Instant.now();
        try {
            stack.step("messages are committed while Centrifugo answers 503", stack.core, () -> {
                for (int i = 0; i < MESSAGES; i++) {
                    posted.add(as(stack.core, tenant.owner().token()).body(Map.of("body", "during outage " + i))
                            .post("/v1/orgs/{org}/rooms/{room}/messages", tenant.org(), room)
                            .then().statusCode(201).extract().path("id"));
                }
            });
            int refusedBefore = stack.centrifugo.refused();
            stack.step("the relay keeps trying through the outage", stack.realtime, () -> {
                await("relay retried", RETRIES, () -> stack.centrifugo.refused() >= refusedBefore + 3);
                holdOutage(began, "Centrifugo down", () -> DayInTheLifeIT.created(stack.centrifugo.published(channel))
                        .isEmpty());
                assertEquals(List.of(), DayInTheLifeIT.created(stack.centrifugo.published(channel)));
            });
        } finally {
            stack.centrifugo.down(false);
        }
        stack.step("the backlog drains once Centrifugo is back: each message once, in order", stack.realtime, () -> {
            await("backlog drained", Duration.ofSeconds(60),
                    () -> DayInTheLifeIT.created(stack.centrifugo.published(channel)).size() >= MESSAGES);
            assertEquals(posted, DayInTheLifeIT.created(stack.centrifugo.published(channel)));
        });
    }

    @Test
    void stripeEventsReceivedWhileStripeIsDownAreProcessedWhenItReturns(Stack stack) {
        Tenant tenant = Tenant.entitled(stack, "Stripe Outage Co");
        String customer = tenant.customer().id;
        StubMapping outage = stack.stripe.server().stubFor(get(urlPathEqualTo("/v1/subscriptions"))
                .withQueryParam("customer", equalTo(customer)).atPriority(1)
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json").withBody("""
                        {"error": {"type": "api_error", "message": "Service temporarily unavailable"}}""")));
        String pastDue = tenant.customer().subscription("past_due", 1);
        String event = StripeStub.event("customer.subscription.updated", pastDue, Instant.now());
        String id = BillingCrashIT.eventId(event);
        Instant began = Instant.now();
        try {
            stack.step("the event is acknowledged while Stripe's API is down", stack.billing,
                    () -> Api.stripeWebhook(stack, event).statusCode(200));
            stack.step("billing retries the event against the failing API", stack.billing, () -> {
                await("two failed attempts", RETRIES, () -> listCalls(stack, customer) >= 2
                        && (Integer) TestDatabase.value("SELECT attempts FROM billing.stripe_event_inbox WHERE id = ?",
                                id) >= 2);
                holdOutage(began, "Stripe down", () -> "pending".equals(TestDatabase.value(
                        "SELECT status FROM billing.stripe_event_inbox WHERE id = ?", id)));
                assertEquals("pending", TestDatabase.value(
                        "SELECT status FROM billing.stripe_event_inbox WHERE id = ?", id));
            });
        } finally {
            stack.stripe.server().removeStub(outage);
        }
        stack.step("once Stripe is back the event is processed and the org follows it", stack.billing, () -> {
            await("event done", Duration.ofSeconds(30), () -> "done".equals(TestDatabase.value(
                    "SELECT status FROM billing.stripe_event_inbox WHERE id = ?", id)));
            assertEquals("past_due", as(stack.billing, tenant.owner().token())
                    .get("/v1/billing/orgs/{org}/subscription", tenant.org()).then().statusCode(200).extract()
                    .path("status"));
        });
    }

    @Test
    void usersWorkOsAnnouncesWhileItsEventsApiIsDownArriveWhenItReturns(Stack stack) {
        StubMapping outage = stack.workos.eventsDown();
        Instant began = Instant.now();
        WorkOsStub.User user;
        try {
            user = stack.workos.createUser("Late");
            int callsBefore = stack.workos.eventsCalls();
            stack.step("core-api keeps asking the failing Events API, and does not know the user", stack.core, () -> {
                await("sync retried", RETRIES, () -> stack.workos.eventsCalls() >= callsBefore + 2);
                holdOutage(began, "WorkOS down: the user stays unknown", () -> as(stack.core, user.token())
                        .get("/v1/me").then().statusCode(200).extract().path("id") == null);
                Object id = as(stack.core, user.token()).get("/v1/me").then().statusCode(200).extract().path("id");
                assertNull(id, "core-api knew the user while the Events API was failing");
            });
        } finally {
            stack.workos.server().removeStub(outage);
        }
        stack.step("once WorkOS is back the user arrives", stack.core, () -> await("user synced",
                Duration.ofSeconds(30),
                () -> as(stack.core, user.token()).get("/v1/me").then().extract().path("id") != null));
    }

    /**
     * Keeps the outage going until {@link #OUTAGE} after it {@code began}, checking all along (each second) that
     * {@code meanwhile} holds.
     */
    private static void holdOutage(Instant began, String what, Callable<Boolean> meanwhile) {
        Duration left = Duration.between(Instant.now(), began.plus(OUTAGE));
        if (left.compareTo(Duration.ofSeconds(1)) > 0) {
            Awaitility.await(what + " for " + OUTAGE).during(left).atMost(left.plusSeconds(30))
                    .pollInterval(Duration.ofSeconds(1)).until(meanwhile);
        }
    }

    private static int listCalls(Stack stack, String customer) {
        return stack.stripe.server().findAll(getRequestedFor(urlPathEqualTo("/v1/subscriptions"))
                .withQueryParam("customer", equalTo(customer))).size();
    }
}
