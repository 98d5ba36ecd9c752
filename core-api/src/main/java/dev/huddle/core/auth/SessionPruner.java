package dev.huddle.core.auth;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.huddle.platform.jobs.SingleRunner;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Deletes sessions nobody refreshed for {@code huddle.sessions.idle-timeout} (a client that went away never logs out),
 * every {@code huddle.sessions.prune-interval}, on one replica at a time.
 */
@ApplicationScoped
public class SessionPruner {

    public static final String JOB = "core-api.sessions-prune";

    private static final Logger LOG = Logger.getLogger(SessionPruner.class);

    private final SessionService sessions;
    private final SingleRunner runner;

    public SessionPruner(SessionService sessions, SingleRunner runner) {
        this.sessions = sessions;
        this.runner = runner;
    }

    @Scheduled(identity = JOB, every = "${huddle.sessions.prune-interval}", delayed = "${huddle.sessions.prune-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return runner.runExclusively(JOB, () -> sessions.pruneIdle().invoke(deleted -> {
            if (deleted > 0) {
                LOG.infof("deleted %d sessions idle for longer than huddle.sessions.idle-timeout", deleted);
            }
        })).onFailure().invoke(e -> LOG.warnf(e, "pruning idle sessions failed")).onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
