package dev.huddle.billing.inbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * {@code billing.inbox.dead} (events given up on) and {@code billing.inbox.depth} (rows per status). Created at
 * start-up, so that the meters are exposed before the first round.
 */
@Startup
@ApplicationScoped
public class InboxMetrics {

    private static final Logger LOG = Logger.getLogger(InboxMetrics.class);

    static final String[] STATUSES = { "pending", "processing", "done", "ignored", "dead" };

    private final InboxRepository inbox;
    private final Counter dead;
    private final Map<String, AtomicLong> depth = new ConcurrentHashMap<>();

    public InboxMetrics(InboxRepository inbox, MeterRegistry registry) {
        this.inbox = inbox;
        this.dead = Counter.builder("billing.inbox.dead")
                .description("Stripe events the inbox worker gave up on").register(registry);
        for (String status : STATUSES) {
            AtomicLong value = new AtomicLong();
            depth.put(status, value);
            registry.gauge("billing.inbox.depth", io.micrometer.core.instrument.Tags.of("status", status), value);
        }
    }

    void dead() {
        dead.increment();
    }

    /** Re-reads the row counts per status (after every worker round). */
    void refresh() {
        try {
            Map<String, Long> counts = inbox.depth().await().indefinitely();
            depth.forEach((status, value) -> value.set(counts.getOrDefault(status, 0L)));
        } catch (RuntimeException e) {
            LOG.debugf(e, "inbox depth not refreshed");
        }
    }
}
