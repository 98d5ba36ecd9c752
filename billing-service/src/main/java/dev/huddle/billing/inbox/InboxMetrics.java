package dev.huddle.billing.inbox;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.Startup;

/**
 * The inbox's meters: {@code billing.inbox.dead} (events given up on), {@code billing.inbox.depth} (rows per
 * status), {@code billing.inbox.oldest.age.seconds} (how long the oldest pending or processing event has waited
 * since it arrived; 0 when none waits) and {@code billing.inbox.rounds} (gauge refreshes: after every worker round, and
 * every {@link InboxWorker#GAUGES_EVERY} of a round that keeps finding events, always between two batches).
 * The gauges are re-read from the database after every worker round, so a scrape never queries it. Created at
 * start-up, so that the meters are exposed before the first round.
 */
@Startup
@ApplicationScoped
public class InboxMetrics {

    private static final Logger LOG = Logger.getLogger(InboxMetrics.class);

    static final String[] STATUSES = { "pending", "processing", "done", "ignored", "dead" };

    private final InboxRepository inbox;
    private final Counter dead;
    private final Counter rounds;
    private final Map<String, AtomicLong> depth = new ConcurrentHashMap<>();
    private final AtomicReference<Duration> oldestAge = new AtomicReference<>(Duration.ZERO);

    public InboxMetrics(InboxRepository inbox, MeterRegistry registry) {
        this.inbox = inbox;
        this.dead = Counter.builder("billing.inbox.dead")
                .description("Stripe events the inbox worker gave up on").register(registry);
        this.rounds = Counter.builder("billing.inbox.rounds")
                .description(
                        "Inbox gauge refreshes, between two worker batches: after every round, and every 5 s of a long one")
                .register(registry);
        for (String status : STATUSES) {
            AtomicLong value = new AtomicLong();
            depth.put(status, value);
            registry.gauge("billing.inbox.depth", Tags.of("status", status), value);
        }
        Gauge.builder("billing.inbox.oldest.age.seconds", oldestAge, age -> age.get().toMillis() / 1000.0)
                .description("How long the oldest unprocessed (pending or processing) Stripe event has waited since "
                        + "it arrived; 0 when none waits")
                .baseUnit("seconds").register(registry);
    }

    void dead() {
        dead.increment();
    }

    /** Re-reads the row counts per status and the oldest unprocessed event's age, then counts the round. */
    void refresh() {
        try {
            Map<String, Long> counts = inbox.depth().await().indefinitely();
            depth.forEach((status, value) -> value.set(counts.getOrDefault(status, 0L)));
            oldestAge.set(inbox.oldestUnprocessedAge().await().indefinitely());
        } catch (RuntimeException e) {
            LOG.debugf(e, "inbox gauges not refreshed");
        } finally {
            rounds.increment();
        }
    }

    /**
     * Refreshes so far, each between two batches of the worker (at the end of a round, or every
     * {@link InboxWorker#GAUGES_EVERY} of a round that keeps finding events): the gauges were refreshed (or failed to).
     */
    public long rounds() {
        return (long) rounds.count();
    }
}
