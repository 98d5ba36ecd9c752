package dev.huddle.core.identity;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.huddle.core.workos.WorkOs;
import dev.huddle.core.workos.WorkOsApi;
import dev.huddle.core.workos.WorkOsApiException;
import dev.huddle.core.workos.WorkOsList;
import dev.huddle.core.workos.WorkOsWire;
import dev.huddle.platform.jobs.SingleRunner;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Keeps users, organizations and memberships in step with WorkOS by reading its Events API in order, every
 * {@code huddle.workos-sync.interval}, on one replica at a time ({@link SingleRunner}); skipped while
 * {@code WORKOS_API_KEY} is not set.
 * <p>
 * Each event is applied ({@link WorkOsEventApplier}) and the stream's cursor set to its id in one transaction: a
 * failure at an event leaves the cursor on the event before it and the next run resumes there, so nothing is skipped
 * and nothing applied twice (and applying is idempotent anyway).
 * <p>
 * Poison policy ({@link WorkOsEventHandler}): a failing event stops the run and is counted in
 * {@code core.workos_poison_events}; the next runs retry it. When it has failed {@code huddle.workos-sync.poison-after}
 * times it is skipped: marked there with its last error and payload, counted on {@code core.workos.sync.poison},
 * logged at WARN, and the cursor moves past it in the same transaction. Operators list and replay it
 * ({@code /v1/ops/workos/poison}, {@link WorkOsEventHandler#replay}). Poison is for technical failures only: the
 * rules WorkOS may break (last owner, seat cap) are applied and flagged ({@code MembershipService}).
 * <p>
 * A lost cursor: WorkOS keeps events 30 days. When every event the stored cursor is known to cover is older than
 * {@code huddle.workos-sync.max-cursor-age}, when WorkOS refuses the cursor (400, 404, 410 or 422 to a read with
 * {@code after}), or on the first run (no cursor yet, unless {@code initial-reconciliation} is off), the run is a full
 * reconciliation through the list endpoints instead ({@link WorkOsReconciler}), which ends by restarting the cursor;
 * the next run reads events on from there.
 * <p>
 * When WorkOS cannot be read (429, 5xx, timeout, an answer that is not what it documents) the run stops with the
 * cursor where it is, and runs back off: for what WorkOS's {@code Retry-After} asks when it sends one, else
 * exponentially ({@code backoff-initial} doubled per failure); both at most {@code backoff-max}. The wait is kept in
 * {@code core.workos_sync_backoff}, so it holds for every replica: WorkOS rate-limits per API key.
 * <p>
 * Metrics: see {@link WorkOsSyncMetrics}.
 */
@ApplicationScoped
public class WorkOsEventSync {

    public static final String JOB = "core-api.workos-sync";
    public static final String STREAM = "workos.events";

    /** The event types the sync reads, in the order WorkOS is asked for them. */
    public static final List<String> TYPES = List.of(
            "user.created", "user.updated", "user.deleted",
            "organization.created", "organization.updated", "organization.deleted",
            "organization_membership.created", "organization_membership.updated", "organization_membership.deleted",
            "invitation.accepted", "invitation.revoked");

    private static final Logger LOG = Logger.getLogger(WorkOsEventSync.class);

    /**
     * What one run did.
     *
     * @param ran false when skipped (not configured, backing off, or another replica running)
     * @param applied events applied (including those that changed nothing), or objects a reconciliation applied
     * @param poisoned events or objects skipped as poison
     * @param failedEventId the event (or reconciled object, {@code reconcile:<id>}) that failed and stopped the run
     * @param readFailed whether reading WorkOS failed (the run backs off)
     * @param reconciled whether the run was a full reconciliation that completed
     */
    public record Result(boolean ran, int applied, int poisoned, String failedEventId, boolean readFailed,
            boolean reconciled) {

        static final Result SKIPPED = new Result(false, 0, 0, null, false, false);
    }

    private static final class Tally {
        /** Failed reads in a row before this run (from the shared backoff). */
        int failuresBefore;
        boolean backingOff;
        int applied;
        int poisoned;
        String failedEventId;
        boolean readFailed;
        boolean reconciled;

        Result result() {
            return new Result(true, applied, poisoned, failedEventId, readFailed, reconciled);
        }
    }

    private final WorkOsSyncConfig config;
    private final WorkOs workOs;
    private final WorkOsEventHandler handler;
    private final WorkOsReconciler reconciler;
    private final WorkOsSyncRepository repository;
    private final WorkOsSyncMetrics metrics;
    private final SingleRunner runner;

    public WorkOsEventSync(WorkOsSyncConfig config, WorkOs workOs, WorkOsEventHandler handler,
            WorkOsReconciler reconciler, WorkOsSyncRepository repository, WorkOsSyncMetrics metrics,
            SingleRunner runner) {
        this.config = config;
        this.workOs = workOs;
        this.handler = handler;
        this.reconciler = reconciler;
        this.repository = repository;
        this.metrics = metrics;
        this.runner = runner;
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
        Tally tally = new Tally();
        // every replica keeps its lag gauge from the shared cursor, whichever one runs the sync; the backoff is
        // checked before the lock (no lock taken while waiting) and again under it (another replica may just have
        // been told to wait)
        return repository.state(STREAM).invoke(metrics::observe)
                .chain(() -> backingOff(tally))
                .chain(waiting -> waiting ? Uni.createFrom().item(false)
                        : runner.runExclusively(JOB, () -> backingOff(tally)
                                .chain(stillWaiting -> stillWaiting ? Uni.createFrom().voidItem() : sync(tally))))
                .map(ran -> ran && !tally.backingOff ? tally.result() : Result.SKIPPED);
    }

    /** Forgets the backoff after failed reads, so the next run reads WorkOS at once (tests, operators). */
    public Uni<Void> resetBackoff() {
        return repository.clearBackoff(STREAM);
    }

    /** When the next run may call WorkOS again, on any replica; null when not backing off. */
    public Uni<Instant> nextAttemptAt() {
        return repository.backoff(STREAM).map(backoff -> backoff == null ? null : backoff.notBefore());
    }

    /** Whether WorkOS asked (or failures made) every replica wait past now; notes the failures so far. */
    private Uni<Boolean> backingOff(Tally tally) {
        return repository.backoff(STREAM).map(backoff -> {
            tally.failuresBefore = backoff == null ? 0 : backoff.failures();
            tally.backingOff = backoff != null && Instant.now().isBefore(backoff.notBefore());
            if (tally.backingOff) {
                LOG.debugf("WorkOS sync skipped: backing off until %s", backoff.notBefore());
            }
            return tally.backingOff;
        });
    }

    /** A read of WorkOS succeeded: the failures in a row are over. */
    private Uni<Void> readSucceeded(Tally tally) {
        if (tally.failuresBefore == 0) {
            return Uni.createFrom().voidItem();
        }
        tally.failuresBefore = 0;
        return repository.clearBackoff(STREAM);
    }

    private Uni<Void> sync(Tally tally) {
        return repository.state(STREAM).chain(cursor -> {
            String reason = reconciliationReason(cursor, Instant.now(), config);
            return reason != null ? reconcile(tally, reason) : pages(tally, 0);
        });
    }

    /**
     * Why the stored cursor cannot be read on (a full reconciliation is due); null when it can. Judged by the newest
     * time up to which every event is known applied: older than {@code max-cursor-age}, WorkOS may have dropped
     * events after it. A cursor that says nothing of its age is read on (WorkOS refuses it if it is lost).
     */
    static String reconciliationReason(WorkOsSyncRepository.Cursor cursor, Instant now, WorkOsSyncConfig config) {
        if (cursor == null) {
            return config.initialReconciliation() ? "first run: no cursor yet" : null;
        }
        OffsetDateTime fresh = cursor.freshAsOf();
        if (fresh != null && fresh.toInstant().isBefore(now.minus(config.maxCursorAge()))) {
            return "the cursor covers events up to " + fresh + " only, older than " + config.maxCursorAge();
        }
        return null;
    }

    private Uni<Void> reconcile(Tally tally, String reason) {
        return reconciler.reconcile(STREAM, reason)
                .call(summary -> readSucceeded(tally))
                .invoke(summary -> {
                    tally.reconciled = summary.completed();
                    tally.applied += summary.applied();
                    tally.poisoned += summary.poisoned();
                    tally.failedEventId = summary.failedId();
                })
                .replaceWithVoid()
                .onFailure(WorkOsApiException.class).recoverWithUni(e -> readFailed(tally, e));
    }

    private Uni<Void> pages(Tally tally, int page) {
        return repository.cursor(STREAM).chain(after -> {
            Instant readAt = Instant.now();
            return read(workOs, after, config.pageSize(), "asc", config.timeout())
                    .call(events -> readSucceeded(tally))
                    .onFailure(WorkOsApiException.class).recoverWithUni(e -> {
                        if (after != null && ((WorkOsApiException) e).refused()) {
                            LOG.warnf("WorkOS refused the event cursor %s: %s", after, e.getMessage());
                            return reconcile(tally, "WorkOS refused the cursor " + after)
                                    .onItem().<List<WorkOsEvent>> transform(done -> null);
                        }
                        return readFailed(tally, e).onItem().<List<WorkOsEvent>> transform(done -> null);
                    })
                    .chain(events -> {
                        if (events == null) {
                            return Uni.createFrom().voidItem();
                        }
                        return events(tally, events, 0).chain(() -> {
                            if (tally.failedEventId != null) {
                                return Uni.createFrom().voidItem();
                            }
                            if (events.size() < config.pageSize()) {
                                // the end of the stream: every event created before this read is applied
                                metrics.syncedThrough(readAt);
                                return repository.syncedThrough(STREAM, readAt);
                            }
                            return page + 1 < config.maxPages() ? pages(tally, page + 1) : Uni.createFrom().voidItem();
                        });
                    });
        });
    }

    /**
     * The events of the types the sync reads after {@code after} (null: from the oldest WorkOS keeps), in
     * {@code order}. A cursor WorkOS does not know any more fails with a {@link WorkOsApiException} that is
     * {@link WorkOsApiException#refused()}.
     */
    static Uni<List<WorkOsEvent>> read(WorkOs workOs, String after, int limit, String order, Duration timeout) {
        int pageSize = Math.max(1, Math.min(WorkOsApi.PAGE_SIZE, limit));
        return workOs.call("GET /events", timeout, api -> api.events(String.join(",", TYPES), pageSize, order, after))
                .map(WorkOsEventSync::toEvents);
    }

    private static List<WorkOsEvent> toEvents(WorkOsList<WorkOsWire.Event> page) {
        List<WorkOsWire.Event> data = page.items("GET /events");
        List<WorkOsEvent> events = new ArrayList<>(data.size());
        for (WorkOsWire.Event event : data) {
            events.add(WorkOsEvent.of(event));
        }
        return events;
    }

    private Uni<Void> events(Tally tally, List<WorkOsEvent> events, int index) {
        if (index >= events.size()) {
            return Uni.createFrom().voidItem();
        }
        WorkOsEvent event = events.get(index);
        return handler.handle(event, STREAM).chain(outcome -> {
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

    /**
     * Reading WorkOS failed: every replica waits, through the database (WorkOS rate-limits per API key, not per
     * replica), for what its {@code Retry-After} asks, else exponentially; at most {@code backoff-max}.
     */
    private Uni<Void> readFailed(Tally tally, Throwable error) {
        tally.readFailed = true;
        metrics.failed();
        int failures = tally.failuresBefore + 1;
        tally.failuresBefore = failures;
        Instant now = Instant.now();
        Duration wait = config.backoff().delayAfter(failures);
        String why = "backoff";
        Duration asked = error instanceof WorkOsApiException api ? api.retryAfter(now) : null;
        if (asked != null) {
            wait = asked.compareTo(config.backoffMax()) > 0 ? config.backoffMax() : asked;
            why = "Retry-After";
        }
        LOG.warnf("WorkOS sync: reading WorkOS failed (%d in a row), next attempt in %s (%s): %s", failures, wait, why,
                error.getMessage());
        return repository.backOff(STREAM, failures, now.plus(wait));
    }
}
