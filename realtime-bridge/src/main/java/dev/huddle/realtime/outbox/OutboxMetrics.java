package dev.huddle.realtime.outbox;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The relay's meters: {@code realtime.outbox.depth} and {@code realtime.outbox.oldest.age.seconds} (gauges of
 * pending rows, refreshed periodically), {@code realtime.outbox.publish.latency} (row inserted, just before
 * its commit, to accepted by Centrifugo; with a histogram for p50/p99), {@code realtime.outbox.failures} (failed attempts) and
 * {@code realtime.outbox.dead}.
 */
@ApplicationScoped
public class OutboxMetrics {

    private final AtomicReference<double[]> stats = new AtomicReference<>(new double[] { 0, 0 });
    private final Timer latency;
    private final Counter failures;
    private final Counter dead;

    public OutboxMetrics(MeterRegistry registry) {
        Gauge.builder("realtime.outbox.depth", stats, s -> s.get()[0])
                .description("Pending outbox rows").register(registry);
        Gauge.builder("realtime.outbox.oldest.age.seconds", stats, s -> s.get()[1])
                .description("Age of the oldest pending outbox row").baseUnit("seconds").register(registry);
        latency = Timer.builder("realtime.outbox.publish.latency")
                .description("From the outbox row's insert (the writer's last step before commit) to Centrifugo "
                        + "accepting it")
                .publishPercentileHistogram().register(registry);
        failures = Counter.builder("realtime.outbox.failures")
                .description("Failed publish attempts (retried or dead)").register(registry);
        dead = Counter.builder("realtime.outbox.dead")
                .description("Outbox rows given up on (permanent Centrifugo errors)").register(registry);
    }

    void stats(double depth, double oldestAgeSeconds) {
        stats.set(new double[] { depth, oldestAgeSeconds });
    }

    void accepted(OffsetDateTime createdAt) {
        Duration d = Duration.between(createdAt, OffsetDateTime.now());
        latency.record(d.isNegative() ? Duration.ZERO : d);
    }

    void failed() {
        failures.increment();
    }

    void dead() {
        dead.increment();
    }
}
