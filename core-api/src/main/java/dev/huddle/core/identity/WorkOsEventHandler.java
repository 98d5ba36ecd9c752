package dev.huddle.core.identity;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Applies one event (from the Events API, or made by a reconciliation from a listed object) in its own transaction,
 * under the poison policy: a failure is counted in {@code core.workos_poison_events} and the caller stops to retry
 * it on a later run; once it has failed {@code huddle.workos-sync.poison-after} times it is skipped (marked there with
 * its last error and payload, counted, logged at WARN) so it cannot block the sync forever.
 */
@ApplicationScoped
public class WorkOsEventHandler {

    private static final Logger LOG = Logger.getLogger(WorkOsEventHandler.class);

    /** What became of one event. */
    enum Outcome {
        APPLIED,
        POISONED,
        FAILED
    }

    private final WorkOsSyncConfig config;
    private final WorkOsEventApplier applier;
    private final WorkOsSyncRepository repository;
    private final WorkOsSyncMetrics metrics;
    private final Pool pool;

    public WorkOsEventHandler(WorkOsSyncConfig config, WorkOsEventApplier applier, WorkOsSyncRepository repository,
            WorkOsSyncMetrics metrics, Pool pool) {
        this.config = config;
        this.applier = applier;
        this.repository = repository;
        this.metrics = metrics;
        this.pool = pool;
    }

    /**
     * Applies {@code event}; with {@code stream} (an Events API event) the stream's cursor moves to it in the same
     * transaction, also when it is skipped as poison.
     */
    Uni<Outcome> handle(WorkOsEvent event, String stream) {
        return pool.withTransaction(tx -> applier.apply(tx, event)
                .chain(() -> repository.clearFailure(tx, event.id()))
                .chain(() -> stream == null ? Uni.createFrom().voidItem()
                        : repository.advance(tx, stream, event.id(), event.createdAt())))
                .map(done -> {
                    if (stream != null) {
                        metrics.applied();
                        metrics.syncedThrough(event.createdAt());
                    } else {
                        metrics.reconciled();
                    }
                    return Outcome.APPLIED;
                })
                .onFailure().recoverWithUni(e -> failed(event, stream, e));
    }

    /** For operators: the events skipped as poison, newest first. */
    public Uni<List<Poisoned>> poisoned(int limit) {
        return repository.poisoned(limit);
    }

    /**
     * An operator replays an event skipped as poison: it is applied (in one transaction with its removal from the
     * poison table, so a second replay finds nothing); false when there is no such poison event. A failure fails
     * the returned {@code Uni} and leaves it poison.
     */
    public Uni<Boolean> replay(String eventId) {
        return pool.withTransaction(tx -> repository.poisonedEvent(tx, eventId).chain(event -> {
            if (event == null) {
                return Uni.createFrom().item(false);
            }
            return applier.apply(tx, event).chain(() -> repository.forget(tx, eventId)).replaceWith(true);
        })).invoke(replayed -> {
            if (replayed) {
                LOG.infof("WorkOS event %s replayed by an operator and applied", eventId);
            }
        });
    }

    private Uni<Outcome> failed(WorkOsEvent event, String stream, Throwable error) {
        String message = error.getClass().getSimpleName() + ": " + error.getMessage();
        metrics.failed();
        return pool.withTransaction(tx -> repository.recordFailure(tx, event, message).chain(attempts -> {
            if (attempts < config.poisonAfter()) {
                LOG.infof("WorkOS event %s (%s) failed (attempt %d of %d), retried next run: %s", event.id(),
                        event.type(), attempts, config.poisonAfter(), message);
                return Uni.createFrom().item(Outcome.FAILED);
            }
            return repository.markSkipped(tx, event.id())
                    .chain(() -> stream == null ? Uni.createFrom().voidItem()
                            : repository.advance(tx, stream, event.id(), event.createdAt()))
                    .map(done -> {
                        LOG.warnf("WorkOS event %s (%s) is poison: failed %d times, skipped (see "
                                + "core.workos_poison_events): %s", event.id(), event.type(), attempts, message);
                        return Outcome.POISONED;
                    });
        })).invoke(outcome -> {
            if (outcome == Outcome.POISONED) {
                metrics.poisoned();
                if (stream != null) {
                    metrics.syncedThrough(event.createdAt());
                }
            }
        });
    }
}
