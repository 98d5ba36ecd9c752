package dev.huddle.core.identity;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * The sync's metrics:
 * <ul>
 * <li>{@code core.workos.sync.applied}: events applied;</li>
 * <li>{@code core.workos.sync.failures}: events and reconciled objects that failed to apply, and failed calls to
 * WorkOS;</li>
 * <li>{@code core.workos.sync.poison}: events and reconciled objects skipped after failing too often;</li>
 * <li>{@code core.workos.sync.reconciled}: objects (organizations, users, memberships, removals) applied by full
 * reconciliations;</li>
 * <li>{@code core.workos.sync.reconciliations}, tag {@code outcome} {@code completed|failed}: full
 * reconciliations;</li>
 * <li>gauge {@code core.workos.sync.lag}: seconds behind WorkOS, from the newest time up to which every event is
 * known applied (the last applied event's {@code created_at}, the start of the last read that reached the end of
 * the stream, or of the last completed reconciliation) to now. Every replica reads it from the database on each
 * scheduled tick, whichever runs the sync; NaN before any sync.</li>
 * </ul>
 * <p>
 * Created at start-up, so that the meters are exposed before the first round.
 */
@Startup
@ApplicationScoped
public class WorkOsSyncMetrics {

    private final Counter applied;
    private final Counter failures;
    private final Counter poison;
    private final Counter reconciled;
    private final Counter reconciliationsCompleted;
    private final Counter reconciliationsFailed;
    private final AtomicReference<Instant> syncedThrough = new AtomicReference<>();

    public WorkOsSyncMetrics(MeterRegistry registry) {
        this.applied = Counter.builder("core.workos.sync.applied").description("WorkOS events applied")
                .register(registry);
        this.failures = Counter.builder("core.workos.sync.failures")
                .description("WorkOS events or reconciled objects that failed to apply, and failed calls to WorkOS")
                .register(registry);
        this.poison = Counter.builder("core.workos.sync.poison")
                .description("WorkOS events or reconciled objects skipped after failing too often").register(registry);
        this.reconciled = Counter.builder("core.workos.sync.reconciled")
                .description("Objects applied by full reconciliations with WorkOS's lists").register(registry);
        this.reconciliationsCompleted = Counter.builder("core.workos.sync.reconciliations").tag("outcome", "completed")
                .description("Full reconciliations with WorkOS's lists").register(registry);
        this.reconciliationsFailed = Counter.builder("core.workos.sync.reconciliations").tag("outcome", "failed")
                .description("Full reconciliations with WorkOS's lists").register(registry);
        Gauge.builder("core.workos.sync.lag", this, WorkOsSyncMetrics::lagSeconds).baseUnit("seconds")
                .description("Seconds since the newest time up to which every WorkOS event is known applied")
                .register(registry);
    }

    void applied() {
        applied.increment();
    }

    void failed() {
        failures.increment();
    }

    void poisoned() {
        poison.increment();
    }

    void reconciled() {
        reconciled.increment();
    }

    void reconciliation(boolean completed) {
        (completed ? reconciliationsCompleted : reconciliationsFailed).increment();
    }

    /** What the database says (every replica, each tick); null forgets (no cursor stored). */
    void observe(WorkOsSyncRepository.Cursor cursor) {
        OffsetDateTime fresh = cursor == null ? null : cursor.freshAsOf();
        syncedThrough.set(fresh == null ? null : fresh.toInstant());
    }

    /** Every event created before {@code at} is applied now. */
    void syncedThrough(Instant at) {
        if (at != null) {
            syncedThrough.accumulateAndGet(at, (old, now) -> old == null || now.isAfter(old) ? now : old);
        }
    }

    void syncedThrough(OffsetDateTime at) {
        syncedThrough(at == null ? null : at.toInstant());
    }

    private double lagSeconds() {
        Instant through = syncedThrough.get();
        return through == null ? Double.NaN : Duration.between(through, Instant.now()).toMillis() / 1000.0;
    }
}
