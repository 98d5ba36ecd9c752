package dev.huddle.core.identity;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.huddle.core.config.WorkOsConfig;
import dev.huddle.core.workos.WorkOs;
import dev.huddle.platform.jobs.SingleRunner;
import io.quarkus.test.junit.QuarkusTest;

/**
 * WorkOS rate-limits per API key: a 429's {@code Retry-After} received by one replica holds back every replica. The
 * second replica is a second {@link WorkOsEventSync} built here from the same code, with a WorkOS client of its own
 * and nothing shared with the first but the database.
 */
@QuarkusTest
class WorkOsSharedBackoffTest {

    @Inject
    WorkOsEventSync first;
    @Inject
    WorkOsSyncConfig config;
    @Inject
    WorkOsConfig workOsConfig;
    @Inject
    WorkOsEventHandler handler;
    @Inject
    WorkOsReconciler reconciler;
    @Inject
    WorkOsSyncRepository repository;
    @Inject
    WorkOsSyncMetrics metrics;
    @Inject
    SingleRunner runner;

    private WorkOsEventSync second;

    @BeforeEach
    void fresh() {
        WorkOsFixture.fresh(first);
        second = new WorkOsEventSync(config, new WorkOs(workOsConfig), handler, reconciler, repository, metrics, runner);
    }

    private static int eventReads() {
        return WorkOsTestResource.server().findAll(getRequestedFor(urlPathEqualTo("/events"))).size();
    }

    private static WorkOsEventSync.Result run(WorkOsEventSync replica) {
        return replica.run().await().atMost(Duration.ofSeconds(30));
    }

    @Test
    void a429sRetryAfterKeepsBothReplicasFromWorkOsUntilItHasPassed() {
        WorkOsTestResource.server().stubFor(get(urlPathEqualTo("/events")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "3").withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Too many requests\"}")));
        Instant before = Instant.now();

        assertTrue(run(first).readFailed());
        assertEquals(1, eventReads());
        Instant notBefore = first.nextAttemptAt().await().indefinitely();
        assertFalse(notBefore.isBefore(before.plusSeconds(3)), notBefore + " is before " + before.plusSeconds(3));
        assertEquals(notBefore, second.nextAttemptAt().await().indefinitely(), "the other replica knows the wait");

        // both replicas try, round after round, while the wait lasts: neither calls WorkOS
        AtomicInteger rounds = new AtomicInteger();
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            WorkOsEventSync.Result a = run(first);
            WorkOsEventSync.Result b = run(second);
            if (Instant.now().isBefore(notBefore)) {
                assertFalse(a.ran() || b.ran(), "a run during the wait: " + a + ", " + b);
                assertEquals(1, eventReads(), "a call to WorkOS during the wait");
                rounds.incrementAndGet();
                return false;
            }
            return true;
        });
        assertTrue(rounds.get() >= 5, "both replicas had their chance during the wait: " + rounds.get() + " rounds");

        // once it has passed, either replica reads WorkOS again
        WorkOsWire.serveEvents(List.of());
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> run(second).ran());
        assertTrue(eventReads() >= 2);
        assertNull(first.nextAttemptAt().await().indefinitely(), "a successful read ends the backoff");
    }
}
