package dev.huddle.recordings.jobs;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.huddle.recordings.config.RecordingsConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * Writes {@code stale-after} and {@code give-up-after} into {@code recordings.job_settings}, the one row the SQL job
 * {@code recordings.reconcile_stale_recordings()} reads on every run, wherever it runs: so the settings of this
 * service hold for pg_cron's runs too. Written at start-up and again before each in-service round (a start-up write
 * the database missed is made up); the last replica to write wins, so replicas should share these settings.
 */
@ApplicationScoped
public class JobSettings {

    private static final Logger LOG = Logger.getLogger(JobSettings.class);

    private final JobRepository repository;
    private final RecordingsConfig config;

    public JobSettings(JobRepository repository, RecordingsConfig config) {
        this.repository = repository;
        this.config = config;
    }

    /** Refuses settings the job could not follow, then writes them; a database that cannot be reached is logged. */
    void onStart(@Observes StartupEvent event) {
        check(config.jobs().staleAfter(), config.jobs().giveUpAfter());
        write().ifNoItem().after(Duration.ofSeconds(30)).fail()
                .onFailure().invoke(e -> LOG.errorf(e, "stale reconciliation settings not written to "
                        + "recordings.job_settings at start-up; the next in-service round writes them"))
                .onFailure().recoverWithNull().await().indefinitely();
    }

    /** Writes the settings (a no-op when the row has them already). */
    public Uni<Void> write() {
        RecordingsConfig.Jobs jobs = config.jobs();
        return repository.writeSettings(jobs.staleAfter(), jobs.giveUpAfter())
                .invoke(written -> {
                    if (written) {
                        LOG.infof("stale reconciliation settings written: candidates after %s finalizing, failed "
                                + "after %s", jobs.staleAfter(), jobs.giveUpAfter());
                    }
                }).replaceWithVoid();
    }

    /** Refuses limits the job could not follow (the table's checks, said in the settings' own names). */
    static void check(Duration staleAfter, Duration giveUpAfter) {
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalStateException("huddle.recordings.jobs.stale-after (RECORDINGS_STALE_AFTER) must be "
                    + "positive, got " + staleAfter);
        }
        if (giveUpAfter.compareTo(staleAfter) < 0) {
            throw new IllegalStateException("huddle.recordings.jobs.give-up-after (RECORDINGS_GIVE_UP_AFTER, "
                    + giveUpAfter + ") must not be shorter than stale-after (RECORDINGS_STALE_AFTER, " + staleAfter
                    + ")");
        }
    }
}
