package dev.huddle.billing.seats;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.huddle.billing.config.StripeNotConfigured;
import dev.huddle.platform.jobs.SingleRunner;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/** Consumes {@code billing.seat_changes} and runs the nightly seat reconciliation. */
@ApplicationScoped
public class SeatWorker {

    private static final Logger LOG = Logger.getLogger(SeatWorker.class);

    private final SeatSync seats;
    private final SingleRunner singleRunner;

    public SeatWorker(SeatSync seats, SingleRunner singleRunner) {
        this.seats = seats;
        this.singleRunner = singleRunner;
    }

    @Scheduled(identity = "billing.seat-worker", every = "${huddle.billing.seats.poll-interval}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = StripeNotConfigured.class)
    void poll() {
        try {
            for (UUID orgId : seats.orgsWithChanges(100)) {
                try {
                    seats.processChanges(orgId);
                } catch (Exception e) {
                    LOG.warnf("seats of org %s not synced, retried next round: %s", orgId, e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "seat round failed");
        }
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
