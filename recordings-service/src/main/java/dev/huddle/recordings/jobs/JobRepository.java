package dev.huddle.recordings.jobs;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The SQL of the recordings jobs: whether pg_cron runs them, the SQL job functions (migrations V2-V5) and the
 * settings they read ({@code recordings.job_settings}).
 */
@ApplicationScoped
public class JobRepository {

    private static final String PG_CRON = "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') AS present";
    private static final String RECONCILE = "SELECT recordings.reconcile_stale_recordings() AS n";
    private static final String PURGE = "SELECT recordings.purge_expired_recordings() AS n";

    private static final String WRITE_SETTINGS = """
            UPDATE recordings.job_settings
            SET stale_after = make_interval(secs => $1), give_up_after = make_interval(secs => $2), updated_at = now()
            WHERE stale_after <> make_interval(secs => $1) OR give_up_after <> make_interval(secs => $2)""";

    private final Pool pool;

    public JobRepository(Pool pool) {
        this.pool = pool;
    }

    /** Whether pg_cron is in this database, in which case the migrations scheduled the jobs there. */
    public Uni<Boolean> pgCronPresent() {
        return pool.query(PG_CRON).execute().map(rows -> rows.iterator().next().getBoolean("present"));
    }

    /** Runs the SQL half of stale reconciliation; the recordings it marked or failed. */
    public Uni<Integer> reconcileStale() {
        return count(RECONCILE);
    }

    /** Runs retention; the recordings it deleted. */
    public Uni<Integer> purgeExpired() {
        return count(PURGE);
    }

    /** Writes the stale reconciliation settings; false when the row had them already. */
    public Uni<Boolean> writeSettings(Duration staleAfter, Duration giveUpAfter) {
        return pool.preparedQuery(WRITE_SETTINGS).execute(Tuple.of(seconds(staleAfter), seconds(giveUpAfter)))
                .map(rows -> rows.rowCount() > 0);
    }

    private Uni<Integer> count(String sql) {
        return pool.preparedQuery(sql).execute().map(rows -> rows.iterator().next().getInteger("n"));
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
