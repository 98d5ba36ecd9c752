package dev.huddle.core.identity;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.huddle.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** The sync's metrics, as the registry (and Prometheus) shows them, and how long it waits after WorkOS fails. */
@QuarkusTest
class WorkOsSyncMetricsTest {

    @Inject
    WorkOsEventSync sync;

    @Inject
    MeterRegistry registry;

    private WorkOsWire wire;

    @BeforeEach
    void fresh() {
        WorkOsFixture.fresh(sync);
        wire = new WorkOsWire();
    }

    private WorkOsEventSync.Result sync() {
        return WorkOsFixture.run(sync);
    }

    private double counter(String name) {
        return registry.get(name).counter().count();
    }

    private double reconciliations(String outcome) {
        return registry.get("core.workos.sync.reconciliations").tag("outcome", outcome).counter().count();
    }

    private double lag() {
        return registry.get("core.workos.sync.lag").gauge().value();
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    @Test
    void appliedFailuresAndPoisonAreCounted() {
        Instant at = Instant.now().minus(1, ChronoUnit.HOURS);
        List<JsonObject> events = List.of(
                wire.event("organization.created", wire.org("A", "Counted", at), at),
                wire.event("user.created", wire.user(1, "One", at), at),
                wire.event("organization_membership.created", wire.membership(1, "A", "member", "suspended", at), at),
                wire.event("user.created", wire.user(2, "Two", at), at));
        WorkOsWire.serveEvents(events);
        double applied = counter("core.workos.sync.applied");
        double failures = counter("core.workos.sync.failures");
        double poison = counter("core.workos.sync.poison");

        sync();
        assertEquals(applied + 2, counter("core.workos.sync.applied"));
        assertEquals(failures + 1, counter("core.workos.sync.failures"));
        assertEquals(poison, counter("core.workos.sync.poison"));

        sync();
        sync(); // the third failure makes it poison; the event after it applies
        assertEquals(applied + 3, counter("core.workos.sync.applied"));
        assertEquals(failures + 3, counter("core.workos.sync.failures"));
        assertEquals(poison + 1, counter("core.workos.sync.poison"));

        // a failed read counts as a failure too
        WorkOsTestResource.server().stubFor(get(urlPathEqualTo("/events")).willReturn(aResponse().withStatus(500)));
        assertTrue(sync().readFailed());
        assertEquals(failures + 4, counter("core.workos.sync.failures"));

        // and Prometheus shows them
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : List.of("core_workos_sync_applied_total", "core_workos_sync_failures_total",
                "core_workos_sync_poison_total", "core_workos_sync_lag_seconds", "core_workos_sync_reconciled_total",
                "core_workos_sync_reconciliations_total{outcome=\"completed\"")) {
            assertTrue(metrics.contains(name), name + " is not in /q/metrics");
        }
    }

    @Test
    void theLagIsFromTheLastAppliedEventWhileBehindAndNearZeroOnceTheStreamIsReadToItsEnd() {
        Instant first = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        Instant second = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        // the second event creates a user whose email another account has: it fails until that one goes
        UUID blocker = (UUID) TestDatabase.value(
                "INSERT INTO core.users (workos_user_id, email) VALUES (?, ?) RETURNING id", "user_01" + wire.run + "X",
                wire.email(2).toUpperCase());
        WorkOsWire.serveEvents(List.of(wire.event("user.created", wire.user(1, "One", first), first),
                wire.event("user.created", wire.user(2, "Two", second), second)));

        assertEquals(1, sync().applied());
        Instant before = Instant.now();
        double behind = lag();
        Instant after = Instant.now();

        assertTrue(behind >= seconds(first, before) && behind <= seconds(first, after),
                behind + " is not the age of the last applied event");

        TestDatabase.sql("DELETE FROM core.users WHERE id = ?", blocker);
        Instant read = Instant.now();
        assertEquals(1, sync().applied());
        double caughtUp = lag();
        Instant done = Instant.now();

        assertTrue(caughtUp >= 0 && caughtUp <= seconds(read, done), caughtUp + " is not the time since the read");
    }

    @Test
    void aReconciliationIsCountedWithItsOutcome() {
        TestDatabase.sql(
                """
                        INSERT INTO core.workos_sync_cursor (stream, after_id, last_event_at) VALUES (?, 'event_01OLD', now() - interval '45 days')""",
                WorkOsEventSync.STREAM);
        double completed = reconciliations("completed");
        double failed = reconciliations("failed");
        double reconciled = counter("core.workos.sync.reconciled");
        WorkOsWire.serveLatestEvent(null);
        WorkOsTestResource.server().stubFor(get(urlPathEqualTo("/organizations")).willReturn(aResponse().withStatus(502)));

        assertTrue(sync().readFailed());
        assertEquals(failed + 1, reconciliations("failed"));

        WorkOsTestResource.server().resetAll();
        Instant at = Instant.now().minus(1, ChronoUnit.DAYS);
        WorkOsWire.serveLatestEvent(null);
        WorkOsWire.serveOrganizations(List.of(List.of(wire.org("A", "Counted", at))));
        WorkOsWire.serveUsers(List.of(List.of(wire.user(1, "One", at))));
        wire.serveMemberships("A", List.of(List.of(wire.membership(1, "A", "owner", "active", at))));
        sync.resetBackoff().await().indefinitely();

        assertTrue(sync().reconciled());
        assertEquals(completed + 1, reconciliations("completed"));
        assertEquals(reconciled + 3, counter("core.workos.sync.reconciled"));
        assertTrue(lag() < 3600, "a reconciliation leaves the sync current as of its start");
    }

    @Test
    void a429sRetryAfterInSecondsSetsTheNextAttempt() {
        WorkOsTestResource.server().stubFor(get(urlPathEqualTo("/events")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "120").withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Too many requests\"}")));
        Instant before = Instant.now();

        assertTrue(sync().readFailed());

        Instant after = Instant.now();
        Instant next = sync.nextAttemptAt().await().indefinitely();
        assertFalse(next.isBefore(before.plusSeconds(120)), next + " is before " + before.plusSeconds(120));
        assertFalse(next.isAfter(after.plusSeconds(120)), next + " is after " + after.plusSeconds(120));
        // and the next run waits without calling WorkOS
        int calls = WorkOsTestResource.server().getAllServeEvents().size();
        assertFalse(sync().ran());
        assertEquals(calls, WorkOsTestResource.server().getAllServeEvents().size());
    }

    @Test
    void a429sRetryAfterAsAnHttpDateSetsTheNextAttemptToThatDate() {
        Instant at = Instant.now().plus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        WorkOsTestResource.server().stubFor(get(urlPathEqualTo("/events")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atOffset(ZoneOffset.UTC)))));

        assertTrue(sync().readFailed());

        assertEquals(at, sync.nextAttemptAt().await().indefinitely());
    }

    @Test
    void withoutRetryAfterTheBackoffIsExponentialAndARetryAfterBeyondTheMaximumIsCapped() {
        WorkOsTestResource.server().stubFor(get(urlPathEqualTo("/events")).willReturn(aResponse().withStatus(503)));
        Instant before = Instant.now();
        assertTrue(sync().readFailed());
        Instant after = Instant.now();
        Instant next = sync.nextAttemptAt().await().indefinitely();
        // backoff-initial (5s) after the first failure
        assertFalse(next.isBefore(before.plusSeconds(5)) || next.isAfter(after.plusSeconds(5)), next.toString());

        WorkOsTestResource.server().stubFor(get(urlPathEqualTo("/events")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "86400")));
        sync.resetBackoff().await().indefinitely();
        before = Instant.now();
        assertTrue(sync().readFailed());
        after = Instant.now();
        next = sync.nextAttemptAt().await().indefinitely();
        // backoff-max (10m), not a day
        assertFalse(next.isBefore(before.plus(Duration.ofMinutes(10))) || next.isAfter(after.plus(Duration.ofMinutes(10))),
                next.toString());

        sync.resetBackoff().await().indefinitely();
        assertNull(sync.nextAttemptAt().await().indefinitely());
    }
}
