package dev.huddle.core.ratelimit;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** SQL of the token buckets in {@code core.rate_limits} ({@link RateLimiter}). */
@ApplicationScoped
public class RateLimitRepository {

    // $3 capacity, $4 period in seconds. The time is read once (excluded.refilled_at) and never moves the bucket
    // back; the WHERE leaves the row unchanged, and returns nothing, when less than one token is available.
    private static final String UPSERT = """
            INSERT INTO core.rate_limits AS b (bucket, subject, tokens, refilled_at)
            %s
            ON CONFLICT (bucket, subject) DO UPDATE
            SET tokens = least($3::float8, b.tokens + greatest(0, extract(epoch FROM excluded.refilled_at - b.refilled_at)::float8)
                             * $3::float8 / $4::float8) - 1,
                refilled_at = greatest(b.refilled_at, excluded.refilled_at)
            WHERE least($3::float8, b.tokens + greatest(0, extract(epoch FROM excluded.refilled_at - b.refilled_at)::float8)
                        * $3::float8 / $4::float8) >= 1
            RETURNING b.tokens""";

    /** In the caller's transaction, which commits as it would anyway. */
    private static final String TAKE = UPSERT.formatted("VALUES ($1, $2, $3::float8 - 1, clock_timestamp())");

    /**
     * On its own (an implicit transaction of one statement), committed without waiting for the WAL flush
     * ({@code synchronous_commit} off for this transaction only): a crash may forget the last few hundred
     * milliseconds of spent tokens, so a caller could get those requests again, which a rate limit can afford; the
     * request it guards then commits its own writes durably, in a transaction of its own.
     */
    private static final String TAKE_ON_ITS_OWN = """
            WITH async_commit AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true))
            """ + UPSERT.formatted("SELECT $1, $2, $3::float8 - 1, clock_timestamp() FROM async_commit");

    private static final String AVAILABLE = """
            SELECT least($3::float8, tokens + greatest(0, extract(epoch FROM clock_timestamp() - refilled_at)::float8)
                         * $3::float8 / $4::float8) AS available
            FROM core.rate_limits
            WHERE bucket = $1 AND subject = $2""";

    // a bucket untouched for longer than its period is full again: the same as no row
    private static final String PRUNE = """
            DELETE FROM core.rate_limits WHERE refilled_at < clock_timestamp() - make_interval(secs => $1)""";

    private final Pool pool;

    public RateLimitRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Takes a token from the bucket of {@code limit} and {@code subject} in the transaction {@code tx}; the tokens
     * available (less than one) when there was none to take, else null.
     */
    Uni<Double> take(SqlClient tx, RateLimiter.Limit limit, String subject) {
        return take(tx, TAKE, limit, subject);
    }

    /** {@link #take(SqlClient, RateLimiter.Limit, String)} in a transaction of its own (see TAKE_ON_ITS_OWN). */
    Uni<Double> takeOnItsOwn(RateLimiter.Limit limit, String subject) {
        return take(pool, TAKE_ON_ITS_OWN, limit, subject);
    }

    private static Uni<Double> take(SqlClient client, String statement, RateLimiter.Limit limit, String subject) {
        Tuple params = Tuple.of(limit.bucket(), subject, (double) limit.requests(), limit.periodSeconds());
        return client.preparedQuery(statement).execute(params).chain(rows -> {
            if (rows.rowCount() == 1) {
                return Uni.createFrom().nullItem();
            }
            return client.preparedQuery(AVAILABLE).execute(params)
                    .map(available -> available.size() == 0 ? 0.0 : available.iterator().next().getDouble("available"));
        });
    }

    /** Deletes the buckets untouched for longer than {@code keep}; how many. */
    Uni<Integer> prune(Duration keep) {
        return pool.preparedQuery(PRUNE).execute(Tuple.of(keep.toSeconds() + 1.0)).map(rows -> rows.rowCount());
    }
}
