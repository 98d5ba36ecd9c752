package dev.huddle.core.identity;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.huddle.platform.jobs.SingleRunner;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Keeps users, organizations and memberships in step with WorkOS by reading its Events API in order, every
 * {@code huddle.workos-sync.interval}, on one replica at a time ({@link SingleRunner}); skipped while
 * {@code WORKOS_API_KEY} is not set.
 * <p>
 * Each event is applied ({@link WorkOsEventApplier}) and the stream's cursor set to its id in one transaction: a
 * failure at an event leaves the cursor on the event before it and the next run resumes there, so nothing is skipped
 * and nothing applied twice (and applying is idempotent anyway).
 * <p>
 * Poison policy: a failing event stops the run and is counted in {@code core.workos_poison_events}; the next runs
 * retry it. When it has failed {@code huddle.workos-sync.poison-after} times it is skipped: marked there with its
 * last error and payload, counted on {@code core.workos.sync.poison}, logged at WARN, and the cursor moves past it in
 * the same transaction. An operator can replay it from that table.
 * <p>
 * When WorkOS cannot be read (429, 5xx, timeout, an answer that is not an event list) the run stops with the
 * cursor where it is, and runs back off exponentially ({@code backoff-initial} doubled per failure up to
 * {@code backoff-max}, kept in memory per replica).
 * <p>
 * Metrics: {@code core.workos.sync.applied}, {@code core.workos.sync.failures} (failed events and failed reads),
 * {@code core.workos.sync.poison}, and the gauge {@code core.workos.sync.lag} (seconds from the last applied event's
 * {@code created_at} to now).
 */
@ApplicationScoped
public class WorkOsEventSync {

    public static final String JOB = "core-api.workos-sync";
    public static final String STREAM = "workos.events";

    private static final Logger LOG = Logger.getLogger(WorkOsEventSync.class);

    /**
     * What one run did.
     *
     * @param ran false when skipped (not configured, backing off, or another replica running)
     * @param applied events applied (including those that changed nothing)
     * @param poisoned events skipped as poison
     * @param failedEventId the event that failed and stopped the run, if one did
     * @param readFailed whether reading WorkOS failed (the run backs off)
     */
    public record Result(boolean ran, int applied, int poisoned, String failedEventId, boolean readFailed) {

        static final Result SKIPPED = new Result(false, 0, 0, null, false);
    }

    private enum Outcome {
        APPLIED,
        POISONED,
        FAILED
    }

    private static final class Tally {
        int applied;
        int poisoned;
        String failedEventId;
        boolean readFailed;

        Result result() {
            return new Result(true, applied, poisoned, failedEventId, readFailed);
        }
    }

    private final WorkOsSyncConfig config;
    private final WorkOsEventsClient workOs;
    private final WorkOsEventApplier applier;
    private final WorkOsSyncRepository repository;
    private final SingleRunner runner;
    private final Pool pool;
    private final Counter appliedCounter;
    private final Counter failureCounter;
    private final Counter poisonCounter;
    private final AtomicReference<OffsetDateTime> lastEventAt = new AtomicReference<>();

    private volatile int consecutiveReadFailures;
    private volatile Instant nextAttemptAt;

    public WorkOsEventSync(WorkOsSyncConfig config, WorkOsEventsClient workOs, WorkOsEventApplier applier,
            WorkOsSyncRepository repository, SingleRunner runner, Pool pool, MeterRegistry registry) {
        this.config = config;
        this.workOs = workOs;
        this.applier = applier;
        this.repository = repository;
        this.runner = runner;
        this.pool = pool;
        this.appliedCounter = Counter.builder("core.workos.sync.applied").description("WorkOS events applied")
                .register(registry);
        this.failureCounter = Counter.builder("core.workos.sync.failures")
                .description("WorkOS events that failed to apply, and failed reads of the Events API").register(registry);
        this.poisonCounter = Counter.builder("core.workos.sync.poison")
                .description("WorkOS events skipped after failing too often").register(registry);
        Gauge.builder("core.workos.sync.lag", this, WorkOsEventSync::lagSeconds).baseUnit("seconds")
                .description("Time since the created_at of the last WorkOS event applied").register(registry);
    }

    @Scheduled(identity = JOB, every = "${huddle.workos-sync.interval}", delayed = "${huddle.workos-sync.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        return run()
                .onFailure().invoke(e -> LOG.warnf(e, "WorkOS sync failed"))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** One run now, if WorkOS is configured, the backoff has passed and no other replica is running one. */
    public Uni<Result> run() {
        if (!workOs.configured()) {
            LOG.debug("WorkOS sync skipped: WORKOS_API_KEY is not set");
            return Uni.createFrom().item(Result.SKIPPED);
        }
        Instant next = nextAttemptAt;
        if (next != null && Instant.now().isBefore(next)) {
            LOG.debugf("WorkOS sync skipped: backing off until %s", next);
            return Uni.createFrom().item(Result.SKIPPED);
        }
        Tally tally = new Tally();
        return runner.runExclusively(JOB, () -> pages(tally, 0)).map(ran -> ran ? tally.result() : Result.SKIPPED);
    }

    /** Forgets the backoff after failed reads, so the next run reads WorkOS at once (tests, operators). */
    public void resetBackoff() {
        consecutiveReadFailures = 0;
        nextAttemptAt = null;
    }

    private Uni<Void> pages(Tally tally, int page) {
        return repository.cursor(STREAM).chain(after -> workOs.events(after, config.pageSize())
                .onItem().invoke(events -> resetBackoff())
                .onFailure(WorkOsEventsClient.WorkOsApiException.class).recoverWithItem(e -> {
                    readFailed(tally, e);
                    return null;
                }))
                .chain(events -> {
                    if (events == null) {
                        return Uni.createFrom().voidItem();
                    }
                    return events(tally, events, 0).chain(() -> tally.failedEventId == null
                            && events.size() >= config.pageSize() && page + 1 < config.maxPages()
                                    ? pages(tally, page + 1)
                                    : Uni.createFrom().voidItem());
                });
    }

    private Uni<Void> events(Tally tally, List<WorkOsEvent> events, int index) {
        if (index >= events.size()) {
            return Uni.createFrom().voidItem();
        }
        WorkOsEvent event = events.get(index);
        return event(event).chain(outcome -> {
            switch (outcome) {
                case APPLIED -> tally.applied++;
                case POISONED -> tally.poisoned++;
                case FAILED -> {
                    tally.failedEventId = event.id();
                    return Uni.createFrom().voidItem();
                }
            }
            return events(tally, events, index + 1);
        });
    }

    private Uni<Outcome> event(WorkOsEvent event) {
        return pool.withTransaction(tx -> applier.apply(tx, event)
                .chain(() -> repository.clearFailure(tx, event.id()))
                .chain(() -> repository.advance(tx, STREAM, event.id(), event.createdAt())))
                .map(done -> {
                    appliedCounter.increment();
                    seen(event);
                    return Outcome.APPLIED;
                })
                .onFailure().recoverWithUni(e -> failed(event, e));
    }

    private Uni<Outcome> failed(WorkOsEvent event, Throwable error) {
        String message = error.getClass().getSimpleName() + ": " + error.getMessage();
        failureCounter.increment();
        return pool.withTransaction(tx -> repository.recordFailure(tx, event, message).chain(attempts -> {
            if (attempts < config.poisonAfter()) {
                LOG.infof("WorkOS event %s (%s) failed (attempt %d of %d), retried next run: %s", event.id(),
                        event.type(), attempts, config.poisonAfter(), message);
                return Uni.createFrom().item(Outcome.FAILED);
            }
            return repository.markSkipped(tx, event.id())
                    .chain(() -> repository.advance(tx, STREAM, event.id(), event.createdAt()))
                    .map(done -> {
                        LOG.warnf("WorkOS event %s (%s) is poison: failed %d times, skipped (see "
                                + "core.workos_poison_events): %s", event.id(), event.type(), attempts, message);
                        return Outcome.POISONED;
                    });
        })).invoke(outcome -> {
            if (outcome == Outcome.POISONED) {
                poisonCounter.increment();
                seen(event);
            }
        });
    }

    private void readFailed(Tally tally, Throwable error) {
        tally.readFailed = true;
        failureCounter.increment();
        int failures = ++consecutiveReadFailures;
        Duration wait = config.backoffInitial().multipliedBy(1L << Math.min(failures - 1, 30));
        if (wait.compareTo(config.backoffMax()) > 0 || wait.isNegative()) {
            wait = config.backoffMax();
        }
        nextAttemptAt = Instant.now().plus(wait);
        LOG.warnf("WorkOS sync: reading events failed (%d in a row), next attempt in %s: %s", failures, wait,
                error.getMessage());
    }

    private void seen(WorkOsEvent event) {
        if (event.createdAt() != null) {
            lastEventAt.set(event.createdAt());
        }
    }

    private double lagSeconds() {
        OffsetDateTime last = lastEventAt.get();
        return last == null ? Double.NaN : Duration.between(last.toInstant(), Instant.now()).toMillis() / 1000.0;
    }
}
