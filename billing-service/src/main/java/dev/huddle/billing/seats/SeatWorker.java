package dev.huddle.billing.seats;

import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.stripe.exception.StripeException;

import dev.huddle.billing.config.BillingConfig;
import dev.huddle.billing.seats.SeatFailureRepository.Decision;
import dev.huddle.billing.stripe.StripeNotConfigured;
import dev.huddle.platform.jobs.SingleRunner;
import dev.huddle.platform.retry.Backoff;
import dev.huddle.platform.retry.Failures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Consumes {@code billing.seat_changes} and runs the nightly seat reconciliation. An org whose sync fails waits
 * before its next attempt ({@link Backoff}: {@code backoff-base} doubled per failure, at most {@code backoff-max},
 * with jitter); once Stripe has refused the update {@code max-attempts} times in a row the org is dead: counted by
 * {@code billing.seats.dead}, listed to operators, left alone until one retries it.
 */
@ApplicationScoped
public class SeatWorker {

    private static final Logger LOG = Logger.getLogger(SeatWorker.class);

    /** Stripe's answers that refuse the update itself, so that sending it again cannot help. */
    static final Set<Integer> REFUSALS = Set.of(400, 402, 404);

    private final SeatSync seats;
    private final SeatFailureRepository failures;
    private final SingleRunner singleRunner;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Counter dead;

    public SeatWorker(SeatSync seats, SeatFailureRepository failures, SingleRunner singleRunner, BillingConfig config,
            MeterRegistry registry) {
        this.seats = seats;
        this.failures = failures;
        this.singleRunner = singleRunner;
        this.backoff = config.seats().backoff();
        this.maxAttempts = config.seats().maxAttempts();
        this.dead = Counter.builder("billing.seats.dead")
                .description("Orgs whose seat sync was given up after Stripe refused it max-attempts times")
                .register(registry);
    }

    @Scheduled(identity = "billing.seat-worker", every = "${huddle.billing.seats.poll-interval}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = StripeNotConfigured.class)
    void poll() {
        try {
            for (UUID orgId : seats.orgsWithChanges(100)) {
                try {
                    seats.processChanges(orgId);
                } catch (Exception e) {
                    failed(orgId, e);
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "seat round failed");
        }
    }

    private void failed(UUID orgId, Exception e) {
        boolean refused = refused(e);
        String error = Failures.describe(e);
        Decision decision = failures.failed(orgId, refused, error, counts -> counts.refusals() >= maxAttempts
                ? new Decision(true, backoff.ceiling(counts.attempts()))
                : new Decision(false, backoff.delayAfter(counts.attempts()))).await().indefinitely();
        if (decision.dead()) {
            dead.increment();
            LOG.errorf("seats of org %s not synced: Stripe refused %d times, given up until an operator retries "
                    + "(POST /v1/billing/ops/seats/%s/retry): %s", orgId, maxAttempts, orgId, error);
        } else {
            LOG.warnf("seats of org %s not synced, retried in %s: %s", orgId, decision.delay(), error);
        }
    }

    /** A 400, 402 or 404 from Stripe; anything else (unreachable, 5xx, 401/403, 409, 429) may pass later. */
    static boolean refused(Exception e) {
        return e instanceof StripeException stripe && stripe.getStatusCode() != null
                && REFUSALS.contains(stripe.getStatusCode());
    }

    @Scheduled(identity = "billing.seat-reconcile", cron = "${huddle.billing.seats.reconcile-cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = StripeNotConfigured.class)
    void reconcile() {
        runReconciliation();
    }

    /** The reconciliation, on one replica at a time; true when it ran. Blocking. */
    public boolean runReconciliation() {
        return singleRunner.runExclusively("billing-service.seat-reconcile",
                () -> Uni.createFrom().item(seats::reconcile).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .await().indefinitely();
    }
}
