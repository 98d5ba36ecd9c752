package dev.huddle.billing.inbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.huddle.billing.config.BillingConfig;
import dev.huddle.billing.stripe.StripeNotConfigured;
import dev.huddle.billing.sync.SyncStripeDataForOrg;
import dev.huddle.platform.jobs.SingleRunner;
import dev.huddle.platform.retry.Backoff;
import dev.huddle.platform.retry.Failures;
import io.quarkus.scheduler.Scheduled;

/**
 * Works off the Stripe event inbox: claims due events with FOR UPDATE SKIP LOCKED (so any number of replicas can
 * run it), in one statement that also reads each event's org and finishes, as ignored, those that need no sync (a
 * type that changes no subscription, a customer of no org); then runs {@link SyncStripeDataForOrg} once per customer
 * and batch, for all of that customer's events (the sync re-reads Stripe's state, so one covers them all), up to
 * {@code sync-concurrency} customers at a time. A batch is finished before the next is claimed, so a customer's
 * events are synced in batch order, as with one thread; a round claims batches until one finds nothing due.
 * Failures back off ({@link Backoff}: {@code backoff-base} doubled per attempt, at most {@code backoff-max}, with
 * jitter); after {@code max-attempts} the event is dead.
 */
@ApplicationScoped
public class InboxWorker {

    private static final Logger LOG = Logger.getLogger(InboxWorker.class);

    /** The events that can change an org's subscription; any other type is ignored. */
    static final Set<String> RELEVANT = Set.of(
            "checkout.session.completed",
            "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
            "customer.subscription.paused", "customer.subscription.resumed",
            "customer.subscription.pending_update_applied", "customer.subscription.pending_update_expired",
            "customer.subscription.trial_will_end",
            "invoice.paid", "invoice.payment_failed", "invoice.payment_action_required", "invoice.upcoming",
            "invoice.marked_uncollectible", "invoice.payment_succeeded",
            "payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled",
            "customer.deleted");

    /** How often a round that keeps finding events refreshes the inbox gauges (as often as the default poll). */
    static final Duration GAUGES_EVERY = Duration.ofSeconds(5);

    private final InboxRepository inbox;
    private final SyncStripeDataForOrg sync;
    private final InboxMetrics metrics;
    private final SingleRunner singleRunner;
    private final BillingConfig.Inbox config;
    private final Backoff backoff;
    /** The threads that run a batch's syncs (Stripe calls block); {@code sync-concurrency} of them. */
    private final ExecutorService syncs;

    public InboxWorker(InboxRepository inbox, SyncStripeDataForOrg sync,
            InboxMetrics metrics, SingleRunner singleRunner, BillingConfig config) {
        this.inbox = inbox;
        this.sync = sync;
        this.metrics = metrics;
        this.singleRunner = singleRunner;
        this.config = config.inbox();
        this.backoff = this.config.backoff();
        AtomicInteger threads = new AtomicInteger();
        this.syncs = Executors.newFixedThreadPool(this.config.syncConcurrency(), task -> {
            Thread thread = new Thread(task, "billing-inbox-sync-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @PreDestroy
    void stop() {
        syncs.shutdown();
    }

    @Scheduled(identity = "billing.inbox-worker", every = "${huddle.billing.inbox.poll-interval}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = StripeNotConfigured.class)
    void poll() {
        long refreshed = System.nanoTime();
        try {
            // until a claim finds nothing due: events that arrive meanwhile are worked off in this round, not after the
            // next poll-interval; the gauges are refreshed between batches at most every GAUGES_EVERY
            while (processBatch() > 0) {
                if (System.nanoTime() - refreshed >= GAUGES_EVERY.toNanos()) {
                    metrics.refresh();
                    refreshed = System.nanoTime();
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "inbox round failed");
        } finally {
            metrics.refresh();
        }
    }

    @Scheduled(identity = "billing.inbox-prune", cron = "${huddle.billing.inbox.prune-cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void prune() {
        singleRunner.runExclusively("billing-service.inbox-prune", () -> inbox.prune(config.retention())
                .invoke(n -> LOG.infof("pruned %d finished Stripe events older than %s", n, config.retention())))
                .await().indefinitely();
    }

    /** Claims and processes one batch; returns how many events it claimed. Blocking. */
    public int processBatch() {
        List<ClaimedEvent> claimed = inbox.claim(config.batchSize(), config.lease(), RELEVANT).await().indefinitely();
        // the claim finished the events that need no sync (ignored); the others, per customer
        Map<String, List<ClaimedEvent>> byCustomer = new LinkedHashMap<>();
        for (ClaimedEvent event : claimed) {
            if (event.orgId() != null) {
                byCustomer.computeIfAbsent(event.stripeCustomerId(), c -> new ArrayList<>()).add(event);
            }
        }
        List<Future<?>> running = new ArrayList<>();
        byCustomer.forEach((customerId, events) -> running
                .add(syncs.submit(() -> process(customerId, events.get(0).orgId(), events))));
        awaitAll(running);
        return claimed.size();
    }

    private void process(String customerId, UUID orgId, List<ClaimedEvent> events) {
        List<String> ids = events.stream().map(ClaimedEvent::id).toList();
        try {
            sync.run(orgId);
            inbox.finish(ids, "done", null).await().indefinitely();
        } catch (Exception e) {
            String error = Failures.describe(e);
            LOG.warnf("Stripe events %s of customer %s failed: %s", ids, customerId, error);
            for (ClaimedEvent event : events) {
                failed(event, error);
            }
        }
    }

    /** Waits for every sync of the batch, then rethrows the first that could not even record its failure. */
    private static void awaitAll(List<Future<?>> running) {
        RuntimeException first = null;
        boolean interrupted = false;
        for (Future<?> f : running) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (first != null) {
            throw first;
        }
    }

    private void failed(ClaimedEvent event, String error) {
        if (event.attempts() >= config.maxAttempts()) {
            LOG.errorf("Stripe event %s (%s) is dead after %d attempts: %s", event.id(), event.type(),
                    event.attempts(), error);
            inbox.dead(event.id(), error).await().indefinitely();
            metrics.dead();
        } else {
            inbox.retry(event.id(), backoff.delayAfter(event.attempts()), error).await().indefinitely();
        }
    }
}
