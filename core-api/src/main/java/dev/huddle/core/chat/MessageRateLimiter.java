package dev.huddle.core.chat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import dev.huddle.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The posting rate limit: a token bucket per member and org in {@code core.chat_rate_limits}, holding up to
 * {@code messages} tokens and refilling {@code messages} per {@code period}, evenly. Each post takes a token with
 * one atomic upsert in the posting transaction, so every replica shares the count, concurrent posts serialize on
 * the bucket row, and a post that fails later (or is refused here) gives its token back with the rollback.
 */
@ApplicationScoped
public class MessageRateLimiter {

    // $3 capacity, $4 period in seconds. The time is read once (excluded.refilled_at) and never moves the bucket
    // back; the WHERE leaves the row unchanged, and returns nothing, when less than one token is available.
    private static final String TAKE = """
            INSERT INTO core.chat_rate_limits AS b (org_id, user_id, tokens, refilled_at)
            VALUES ($1, $2, $3::float8 - 1, clock_timestamp())
            ON CONFLICT (org_id, user_id) DO UPDATE
            SET tokens = least($3::float8, b.tokens + greatest(0, extract(epoch FROM excluded.refilled_at - b.refilled_at)::float8)
                             * $3::float8 / $4::float8) - 1,
                refilled_at = greatest(b.refilled_at, excluded.refilled_at)
            WHERE least($3::float8, b.tokens + greatest(0, extract(epoch FROM excluded.refilled_at - b.refilled_at)::float8)
                        * $3::float8 / $4::float8) >= 1
            RETURNING b.tokens""";

    private static final String AVAILABLE = """
            SELECT least($3::float8, tokens + greatest(0, extract(epoch FROM clock_timestamp() - refilled_at)::float8)
                         * $3::float8 / $4::float8) AS available
            FROM core.chat_rate_limits
            WHERE org_id = $1 AND user_id = $2""";

    private final double capacity;
    private final double periodSeconds;

    public MessageRateLimiter(ChatConfig config) {
        this.capacity = config.rateLimit().messages();
        this.periodSeconds = config.rateLimit().period().toNanos() / 1e9;
        if (periodSeconds <= 0) {
            throw new IllegalArgumentException("huddle.chat.rate-limit.period must be positive");
        }
    }

    /** Takes a token for one post, or fails with a 429 problem whose Retry-After says when the next one is. */
    public Uni<Void> take(SqlClient tx, UUID orgId, UUID userId) {
        Tuple params = Tuple.of(orgId, userId, capacity, periodSeconds);
        return tx.preparedQuery(TAKE).execute(params).chain(rows -> {
            if (rows.rowCount() == 1) {
                return Uni.createFrom().voidItem();
            }
            return tx.preparedQuery(AVAILABLE).execute(params).chain(available -> Uni.createFrom().<Void> failure(
                    limited(available.size() == 0 ? 0 : available.iterator().next().getDouble("available"))));
        });
    }

    private ProblemException limited(double available) {
        long seconds = Math.max(1, (long) Math.ceil((1 - available) * periodSeconds / capacity));
        return new ProblemException(Response.Status.TOO_MANY_REQUESTS, "rate-limited",
                "you are posting too fast: at most " + (long) capacity + " messages per "
                        + formatPeriod() + " in an organization; try again in " + seconds + " s",
                List.of(), Map.of("Retry-After", Long.toString(seconds)));
    }

    private String formatPeriod() {
        return periodSeconds == Math.rint(periodSeconds) ? (long) periodSeconds + " s" : periodSeconds + " s";
    }
}
