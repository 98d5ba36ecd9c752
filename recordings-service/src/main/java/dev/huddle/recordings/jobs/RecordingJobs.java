package dev.huddle.recordings.jobs;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.huddle.platform.jobs.SingleRunner;
import dev.huddle.recordings.config.RecordingsConfig;
import dev.huddle.recordings.livekit.LiveKitEgressClient;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Runs retention and stale reconciliation in this service. The SQL jobs ({@code recordings.purge_expired_recordings},
 * {@code recordings.reconcile_stale_recordings}, migrations V2-V5) run here only where the database has no pg_cron:
 * the migrations schedule them with pg_cron exactly when {@code pg_cron} is in {@code pg_extension}, and each run here
 * first checks the same condition. One replica at a time through {@link SingleRunner}.
 * {@code huddle.recordings.jobs.mode=off} turns the in-service runs off.
 * <p>
 * Stale reconciliation has two halves, and the outcome is the same wherever the SQL half runs: the SQL job marks the
 * candidates (finalizing for longer than {@code stale-after}) and fails only what has been finalizing for longer than
 * {@code give-up-after}, with the settings this service writes into {@code recordings.job_settings}
 * ({@link JobSettings}); the decision about each candidate is this service's, which asks LiveKit
 * ({@link StaleReconciler}), under pg_cron too. Both announce their changes on the outbox (the SQL functions write
 * the events themselves).
 */
@ApplicationScoped
public class RecordingJobs {

    public static final String RECONCILE_JOB = "recordings-service.reconcile-stale-recordings";
    public static final String PURGE_JOB = "recordings-service.purge-expired-recordings";

    private static final Logger LOG = Logger.getLogger(RecordingJobs.class);

    /**
     * What a run did: recordings changed (stale reconciliation: also newly marked), -1 when it did not run (pg_cron
     * owns the job, jobs are off, or another replica ran it).
     */
    public record Result(boolean ran, int rows) {
        static final Result SKIPPED = new Result(false, -1);
    }

    private final JobRepository repository;
    private final SingleRunner runner;
    private final RecordingsConfig config;
    private final StaleReconciler reconciler;
    private final LiveKitEgressClient liveKit;
    private final JobSettings settings;

    public RecordingJobs(JobRepository repository, SingleRunner runner, RecordingsConfig config, StaleReconciler reconciler,
            LiveKitEgressClient liveKit, JobSettings settings) {
        this.repository = repository;
        this.runner = runner;
        this.config = config;
        this.reconciler = reconciler;
        this.liveKit = liveKit;
        this.settings = settings;
    }

    @Scheduled(identity = RECONCILE_JOB, cron = "${huddle.recordings.jobs.reconcile-cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledReconcile() {
        return reconcileStale().onFailure().invoke(e -> LOG.errorf(e, "job %s failed", RECONCILE_JOB)).onFailure()
                .recoverWithNull().replaceWithVoid();
    }

    @Scheduled(identity = PURGE_JOB, cron = "${huddle.recordings.jobs.purge-cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledPurge() {
        return purgeExpired().onFailure().invoke(e -> LOG.errorf(e, "job %s failed", PURGE_JOB)).onFailure()
                .recoverWithNull().replaceWithVoid();
    }

    /** One run of stale reconciliation, as the scheduler makes it. */
    public Uni<Result> reconcileStale() {
        if (config.jobs().mode() == RecordingsConfig.Mode.OFF) {
            return Uni.createFrom().item(Result.SKIPPED);
        }
        return pgCronPresent().chain(pgCron -> reconcileStale(pgCron));
    }

    /**
     * One run of stale reconciliation.
     *
     * @param pgCron whether pg_cron runs the SQL job in the database: then only the LiveKit check runs here
     */
    Uni<Result> reconcileStale(boolean pgCron) {
        if (config.jobs().mode() == RecordingsConfig.Mode.OFF || (pgCron && !liveKit.configured())) {
            return Uni.createFrom().item(Result.SKIPPED);
        }
        return exclusive(RECONCILE_JOB, () -> settings.write()
                .chain(written -> pgCron ? Uni.createFrom().item(0) : repository.reconcileStale())
                .chain(marked -> liveKit.configured()
                        ? reconciler.pass().map(pass -> marked + pass.changed())
                        : Uni.createFrom().item(marked)));
    }

    /** One run of retention, as the scheduler makes it. */
    public Uni<Result> purgeExpired() {
        return run(PURGE_JOB, repository::purgeExpired);
    }

    /** Whether pg_cron is in this database, in which case the migration scheduled the jobs there. */
    public Uni<Boolean> pgCronPresent() {
        return repository.pgCronPresent();
    }

    private Uni<Result> run(String name, Supplier<Uni<Integer>> job) {
        if (config.jobs().mode() == RecordingsConfig.Mode.OFF) {
            return Uni.createFrom().item(Result.SKIPPED);
        }
        return pgCronPresent().chain(pgCron -> {
            if (pgCron) {
                LOG.debugf("job %s skipped: pg_cron runs it in the database", name);
                return Uni.createFrom().item(Result.SKIPPED);
            }
            return exclusive(name, job);
        });
    }

    /** Runs a job on one replica at a time; a replica that cannot take the lock skips the round. */
    private Uni<Result> exclusive(String name, Supplier<Uni<Integer>> job) {
        int[] count = { 0 };
        return runner.runExclusively(name, () -> job.get().invoke(n -> count[0] = n))
                .map(ran -> {
                    if (ran && count[0] > 0) {
                        LOG.infof("job %s: %d recording(s)", name, count[0]);
                    }
                    return ran ? new Result(true, count[0]) : Result.SKIPPED;
                });
    }
}
