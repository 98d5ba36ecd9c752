package dev.huddle.platform.jobs;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Runs a periodic job on one replica at a time. Every replica schedules the job; each run first tries to take a
 * PostgreSQL advisory lock named after the job, and a replica that does not get it skips that run instead of
 * waiting. So there is no leader to elect and nothing to clean up: when a replica dies mid-run its connection
 * closes and the lock goes with it.
 * <p>
 * The lock is transaction-level ({@code pg_try_advisory_xact_lock}), taken in a transaction opened for it on a
 * connection of its own and held until the job's {@code Uni} completes; commit or rollback releases it. Unlike a
 * session lock, that stays correct behind a transaction pooler (Supavisor, PgBouncer), where consecutive
 * statements may run on different server sessions. The job does its own work on the pool (its own, short
 * transactions): it needs one more connection than the job alone.
 * <p>
 * Lock keys are {@code (hashtext('huddle.jobs'), hashtext(name))}, the two-key form, so they never collide with
 * single-key advisory locks taken elsewhere. Advisory locks are per database and every service shares one:
 * name jobs {@code <service>.<job>} ({@code core-api.presence-reconcile}).
 */
@ApplicationScoped
public class SingleRunner {

    private static final Logger LOG = Logger.getLogger(SingleRunner.class);

    private static final String TRY_LOCK = """
            SELECT pg_try_advisory_xact_lock(hashtext('huddle.jobs'), hashtext($1)) AS locked""";

    private final Pool pool;

    public SingleRunner(Pool pool) {
        this.pool = pool;
    }

    /**
     * Runs {@code job} unless another replica is running the job called {@code name} right now.
     *
     * @param name the job's name, unique across services ({@code <service>.<job>})
     * @param job the work; subscribed only once the lock is held, and the lock is held until it completes
     * @return true when the job ran, false when it was skipped because another replica holds the lock; a failure
     *         of the job fails the returned {@code Uni} (and releases the lock)
     */
    public Uni<Boolean> runExclusively(String name, Supplier<Uni<?>> job) {
        return pool.withTransaction(lockHolder -> lockHolder.preparedQuery(TRY_LOCK).execute(Tuple.of(name))
                .chain(rows -> {
                    if (!rows.iterator().next().getBoolean("locked")) {
                        LOG.debugf("job %s skipped: another replica is running it", name);
                        return Uni.createFrom().item(false);
                    }
                    return job.get().replaceWith(true);
                }));
    }
}
