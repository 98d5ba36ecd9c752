package dev.huddle.platform.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * How long a worker waits before it tries again something that failed: {@code base} doubled for every further
 * consecutive failure, never more than {@code max}; with jitter, a random part of up to {@code jitter} of that
 * delay is taken off, so that many rows failing together (an outage) do not all come back in the same instant.
 * Jitter only shortens: the delay is never above the capped exponential one.
 * <p>
 * The one backoff of every retrying worker: billing's Stripe inbox and seat sync, realtime-bridge's outbox relay,
 * recordings-service's storage deletions, core-api's WorkOS sync. Each counts failures its own way and passes the
 * consecutive failures so far, the one just seen included.
 *
 * @param base the delay after the first failure
 * @param max the longest delay; a {@code max} below {@code base} caps {@code base} too
 * @param jitter the largest fraction of the delay taken off at random, 0 (none) to 1
 */
public record Backoff(Duration base, Duration max, double jitter) {

    public Backoff {
        if (base == null || max == null || base.isNegative() || max.isNegative()) {
            throw new IllegalArgumentException("a backoff needs a base and a max that are not negative");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter is a fraction from 0 to 1, not " + jitter);
        }
    }

    /** {@code base} doubled per further failure, at most {@code max}, without jitter. */
    public static Backoff exponential(Duration base, Duration max) {
        return new Backoff(base, max, 0);
    }

    /** The same backoff, with up to {@code fraction} of each delay taken off at random. */
    public Backoff withJitter(double fraction) {
        return new Backoff(base, max, fraction);
    }

    /**
     * The capped exponential delay after {@code failures} consecutive failures (1 = the first): base x
     * 2^(failures - 1), at most max. Without jitter; {@link #delayAfter} is never longer.
     */
    public Duration ceiling(int failures) {
        long baseMillis = base.toMillis();
        long maxMillis = max.toMillis();
        int doublings = Math.max(failures, 1) - 1;
        if (baseMillis >= maxMillis || doublings >= Long.SIZE - 2 || baseMillis > (maxMillis >> doublings)) {
            return Duration.ofMillis(maxMillis);
        }
        return Duration.ofMillis(baseMillis << doublings);
    }

    /** How long to wait after {@code failures} consecutive failures (1 = the first), jitter applied. */
    public Duration delayAfter(int failures) {
        return delayAfter(failures, ThreadLocalRandom.current());
    }

    /** {@link #delayAfter(int)} with the given source of randomness. */
    public Duration delayAfter(int failures, RandomGenerator random) {
        Duration ceiling = ceiling(failures);
        if (jitter == 0) {
            return ceiling;
        }
        long millis = ceiling.toMillis();
        long off = (long) Math.floor(millis * jitter * random.nextDouble());
        return Duration.ofMillis(millis - off);
    }
}
