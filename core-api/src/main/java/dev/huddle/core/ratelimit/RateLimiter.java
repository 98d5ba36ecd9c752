package dev.huddle.core.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import dev.huddle.platform.jobs.SingleRunner;
import dev.huddle.platform.problem.ProblemException;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * The rate limits of core-api, one mechanism for all: a token bucket per limit and subject in
 * {@code core.rate_limits}, holding up to {@code requests} tokens and refilling {@code requests} per {@code period},
 * evenly. A request takes a token with one atomic upsert, so every replica shares the count and concurrent requests
 * serialize on the bucket row. Taken in a caller's transaction, a token comes back if that transaction rolls back;
 * taken on its own, it is spent whatever the request then does, and its commit does not wait for the disk.
 */
@ApplicationScoped
public class RateLimiter {

    public static final String PRUNE_JOB = "core-api.rate-limits-prune";

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);

    /**
     * One limit.
     *
     * @param bucket the name its buckets are stored under
     * @param requests the bucket's size, and how many tokens it gets back per period
     * @param period the period the bucket refills over
     * @param counted what is counted, for the caller: "messages per member in an organization"
     */
    public record Limit(String bucket, int requests, Duration period, String counted) {

        public Limit {
            if (requests < 1 || period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("rate limit " + bucket + ": requests and period must be positive");
            }
        }

        double periodSeconds() {
            return period.toNanos() / 1e9;
        }
    }

    private final RateLimitRepository repository;
    private final SingleRunner runner;
    private final RateLimitConfig config;

    public RateLimiter(RateLimitRepository repository, SingleRunner runner, RateLimitConfig config) {
        this.repository = repository;
        this.runner = runner;
        this.config = config;
    }

    /**
     * Takes a token from {@code subject}'s bucket of {@code limit} in the transaction {@code tx}, or fails with a 429
     * problem whose Retry-After says when the next one is.
     */
    public Uni<Void> take(SqlClient tx, Limit limit, String subject) {
        return refuseWhenEmpty(repository.take(tx, limit, subject), limit);
    }

    /**
     * Takes a token on its own statement, spent whatever the request then does; its commit does not wait for the
     * disk (a crash may forget the last spent tokens: see RateLimitRepository).
     */
    public Uni<Void> take(Limit limit, String subject) {
        return refuseWhenEmpty(repository.takeOnItsOwn(limit, subject), limit);
    }

    private Uni<Void> refuseWhenEmpty(Uni<Double> taken, Limit limit) {
        return taken.chain(available -> available == null ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(limited(limit, available)));
    }

    /** Deletes buckets that are full again (untouched for longer than the longest period of any limit). */
    @Scheduled(identity = PRUNE_JOB, every = "1h", delayed = "10m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        Duration longest = config.writes().period().compareTo(config.signIn().period()) > 0 ? config.writes().period()
                : config.signIn().period();
        // the chat limit's period is at most a day in any sane configuration; keep buckets that long at least
        Duration keep = longest.compareTo(Duration.ofDays(1)) > 0 ? longest : Duration.ofDays(1);
        return runner.runExclusively(PRUNE_JOB, () -> repository.prune(keep)
                .invoke(pruned -> LOG.debugf("pruned %d full rate-limit buckets", pruned)))
                .onFailure().invoke(e -> LOG.warnf(e, "pruning rate-limit buckets failed")).onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    static ProblemException limited(Limit limit, double available) {
        double period = limit.periodSeconds();
        long seconds = Math.max(1, (long) Math.ceil((1 - available) * period / limit.requests()));
        return new ProblemException(Response.Status.TOO_MANY_REQUESTS, "rate-limited",
                "too many requests: at most " + limit.requests() + " " + limit.counted() + " per "
                        + (period == Math.rint(period) ? (long) period + " s" : period + " s")
                        + "; try again in " + seconds + " s",
                List.of(), Map.of("Retry-After", Long.toString(seconds)));
    }
}
