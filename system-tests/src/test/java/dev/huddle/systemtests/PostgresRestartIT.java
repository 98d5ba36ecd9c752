package dev.huddle.systemtests;

import static dev.huddle.systemtests.Api.as;
import static dev.huddle.systemtests.Api.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.huddle.testing.PostgresServer;
import dev.huddle.testing.StripeStub;
import dev.huddle.testing.TestDatabase;
import dev.huddle.testing.postgres.EmbeddedPostgres;
import io.restassured.response.Response;

/**
 * PostgreSQL restarted under load, twice: a crash ({@code pg_ctl stop -m immediate}: no checkpoint, recovery from the
 * WAL) and a fast restart ({@code -m fast}: every session ended), while a client posts chat messages to core-api and
 * Stripe delivers webhooks to billing-service. Every service reports not ready ({@code /q/health/ready} 503) while the
 * database is gone, and ready again by itself once it is back; a request sent after that gets no 5xx; every write
 * acknowledged with a 2xx, before, during or after, is in the database once and delivered once: each message in
 * {@code core.messages} and published once, in order, at the Centrifugo stub; each event in billing's inbox once and
 * processed (those not acknowledged are redelivered, as Stripe does). The test runs a stack of its own on a
 * PostgreSQL of its own, so that stopping it touches no other test (nor the tests' shared server).
 */
class PostgresRestartIT {

    static final Duration LOAD_INTERVAL = Duration.ofMillis(50);
    static final Duration WAIT = Duration.ofSeconds(60);
    /** Acknowledged writes of each kind to see before a restart, and again after it. */
    static final int WRITES_PER_PHASE = 10;

    /**
     * One request of the load: to which service, whether it was sent after the system had recovered (and answered
     * before the database was stopped again), its status.
     */
    record Outcome(String service, boolean afterRecovery, int status) {
    }

    @Test
    void servicesRideOutADatabaseCrashAndRestartLosingNoAcknowledgedWrite() throws Exception {
        EmbeddedPostgres pg = PostgresServer.startEmbedded(null, 0);
        try (Stack stack = Stack.startOnServer(PostgresServer.adminUrl(pg), "system-tests-postgres-restart")) {
            try {
                run(stack, pg);
            } catch (AssertionError | RuntimeException e) {
                SystemStack.withLogs(stack, e);
                throw e;
            }
        } finally {
            pg.close();
        }
    }

    private void run(Stack stack, EmbeddedPostgres pg) throws Exception {
        Tenant tenant = Tenant.entitled(stack, "Restart Co");
        UUID room = stack.step("create a room", stack.core, () -> UUID.fromString(as(stack.core,
                tenant.owner().token()).body(Map.of("name", "Restart room")).post("/v1/orgs/{org}/rooms", tenant.org())
                .then().statusCode(201).extract().path("id")));
        String subscription = tenant.customer().subscription("active", 1);

        AtomicBoolean recovered = new AtomicBoolean(true);
        AtomicInteger stops = new AtomicInteger();
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        // one writer: its acknowledgements are in commit order
        List<String> messages = Collections.synchronizedList(new ArrayList<>());
        Set<String> acknowledgedEvents = ConcurrentHashMap.newKeySet();
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger sequence = new AtomicInteger();
        ScheduledExecutorService load = Executors.newScheduledThreadPool(2);
        try {
            load.scheduleWithFixedDelay(() -> {
                int epoch = stops.get();
                boolean after = recovered.get();
                Answer answer = send(() -> as(stack.core, tenant.owner().token())
                        .body(Map.of("body", "under restart " + sequence.incrementAndGet()))
                        .post("/v1/orgs/{org}/rooms/{room}/messages", tenant.org(), room));
                outcomes.add(new Outcome(stack.core.name(), after && stops.get() == epoch, answer.status()));
                if (answer.status() == 201) {
                    messages.add(answer.id());
                }
            }, 0, LOAD_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            load.scheduleWithFixedDelay(() -> {
                int epoch = stops.get();
                boolean after = recovered.get();
                String event = StripeStub.event("customer.subscription.updated", subscription, Instant.now());
                events.add(event);
                int status = send(() -> Api.stripeWebhook(stack, event).extract().response()).status();
                outcomes.add(new Outcome(stack.billing.name(), after && stops.get() == epoch, status));
                if (status / 100 == 2) {
                    acknowledgedEvents.add(BillingCrashIT.eventId(event));
                }
            }, 0, LOAD_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);

            awaitWrites(stack, "the load is acknowledged by a healthy system", messages, acknowledgedEvents);
            restart(stack, pg, "immediate", recovered, stops);
            awaitWrites(stack, "the load is acknowledged again after the crash", messages, acknowledgedEvents);
            restart(stack, pg, "fast", recovered, stops);
            awaitWrites(stack, "the load is acknowledged again after the fast restart", messages, acknowledgedEvents);
        } finally {
            load.shutdownNow();
            assertTrue(load.awaitTermination(30, TimeUnit.SECONDS), "the load stopped");
        }

        for (ServiceProcess service : List.of(stack.core, stack.billing)) {
            // each service's outcomes under its own name, so that a failure shows that service's log
            List<Outcome> own;
            synchronized (outcomes) {
                own = outcomes.stream().filter(o -> o.service().equals(service.name())).toList();
            }
            stack.step(service.name() + ": no request sent after recovery got a 5xx (or no answer)", service,
                    () -> assertEquals(List.of(), own.stream()
                            .filter(o -> o.afterRecovery() && (o.status() / 100 == 5 || o.status() < 0)).toList()));
            stack.step(service.name() + ": while the database was away, refusals said 503 (unavailable, retry), never 500",
                    service, () -> assertEquals(List.of(), own.stream().filter(o -> o.status() == 500).toList()));
        }

        stack.step("Stripe redelivers what was not acknowledged", stack.billing, () -> {
            for (String event : List.copyOf(events)) {
                if (!acknowledgedEvents.contains(BillingCrashIT.eventId(event))) {
                    await("redelivery acknowledged", WAIT, () -> BillingCrashIT.deliver(stack, event));
                    acknowledgedEvents.add(BillingCrashIT.eventId(event));
                }
            }
        });

        stack.step("every acknowledged message is stored once and published once, in commit order", stack.realtime,
                () -> {
                    List<String> stored = TestDatabase.sql(stack.database(),
                            "SELECT id::text AS id FROM core.messages WHERE room_id = ?", room).stream()
                            .map(row -> (String) row.get("id")).toList();
                    assertEquals(stored.size(), new HashSet<>(stored).size(), "each message stored once");
                    assertTrue(stored.containsAll(messages), "every acknowledged message is stored");
                    String channel = "room:" + room;
                    await("every stored message published", WAIT,
                            () -> DayInTheLifeIT.created(stack.centrifugo.published(channel)).size() >= stored.size());
                    List<String> published = DayInTheLifeIT.created(stack.centrifugo.published(channel));
                    assertEquals(published.size(), new LinkedHashSet<>(published).size(), "each message published once");
                    assertEquals(new HashSet<>(stored), new HashSet<>(published), "what is stored is what is published");
                    List<String> acknowledgedInPublishOrder = published.stream().filter(messages::contains).toList();
                    assertEquals(List.copyOf(messages), acknowledgedInPublishOrder, "published in commit order");
                });

        String[] ids = events.stream().map(BillingCrashIT::eventId).toArray(String[]::new);
        stack.step("every event is in billing's inbox once and processed", stack.billing, () -> {
            await("all processed", WAIT, () -> (Long) TestDatabase.value(stack.database(),
                    "SELECT count(*) FROM billing.stripe_event_inbox WHERE status = 'done' AND id = ANY (?)",
                    (Object) ids) == ids.length);
            assertEquals((long) ids.length, TestDatabase.value(stack.database(),
                    "SELECT count(*) FROM billing.stripe_event_inbox WHERE id = ANY (?)", (Object) ids),
                    "one inbox row per event");
        });
    }

    /**
     * Stops PostgreSQL ({@code pg_ctl stop -m <mode>}), waits until every service reports not ready, starts it again,
     * and waits until every service is ready again by itself; {@code recovered} is false in between, and
     * {@code stops} counts the stop (before it happens: a request in flight meanwhile does not count as after recovery).
     */
    private static void restart(Stack stack, EmbeddedPostgres pg, String mode, AtomicBoolean recovered,
            AtomicInteger stops) {
        recovered.set(false);
        stops.incrementAndGet();
        pg.stop(mode);
        for (ServiceProcess service : stack.services()) {
            stack.step("PostgreSQL stopped (-m " + mode + "): not ready", service, () -> await(
                    service.name() + " not ready", WAIT, () -> service.readyStatus() == 503));
        }
        pg.startAgain();
        for (ServiceProcess service : stack.services()) {
            stack.step("PostgreSQL back after -m " + mode + ": ready again by itself", service, () -> await(
                    service.name() + " ready", WAIT, () -> service.readyStatus() == 200));
        }
        recovered.set(true);
    }

    private static void awaitWrites(Stack stack, String step, List<String> messages, Set<String> events) {
        int messagesBefore = messages.size();
        int eventsBefore = events.size();
        stack.step(step + ": messages", stack.core, () -> await("messages acknowledged", WAIT,
                () -> messages.size() >= messagesBefore + WRITES_PER_PHASE));
        stack.step(step + ": webhooks", stack.billing, () -> await("webhooks acknowledged", WAIT,
                () -> events.size() >= eventsBefore + WRITES_PER_PHASE));
    }

    /** A request's status and, for a created message, its id; status -1 when no answer came. */
    private record Answer(int status, String id) {
    }

    private static Answer send(Supplier<Response> request) {
        try {
            Response response = request.get();
            String id = response.statusCode() == 201 ? response.path("id") : null;
            return new Answer(response.statusCode(), id);
        } catch (Exception noAnswer) {
            // connection refused or reset, or no response: rest-assured rethrows the IOException unchecked
            return new Answer(-1, null);
        }
    }
}
