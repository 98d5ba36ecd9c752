package dev.huddle.platform.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Backoff TEN_SECONDS_TO_AN_HOUR = Backoff.exponential(Duration.ofSeconds(10),
            Duration.ofHours(1));

    /** A source of randomness that always answers {@code value}. */
    private static RandomGenerator always(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    @Test
    void theDelayDoublesPerFailureFromTheBase() {
        assertEquals(Duration.ofSeconds(10), TEN_SECONDS_TO_AN_HOUR.delayAfter(1));
        assertEquals(Duration.ofSeconds(20), TEN_SECONDS_TO_AN_HOUR.delayAfter(2));
        assertEquals(Duration.ofSeconds(40), TEN_SECONDS_TO_AN_HOUR.delayAfter(3));
        assertEquals(Duration.ofSeconds(2560), TEN_SECONDS_TO_AN_HOUR.delayAfter(9));
    }

    @Test
    void theDelayStopsAtTheMaximum() {
        assertEquals(Duration.ofHours(1), TEN_SECONDS_TO_AN_HOUR.delayAfter(10));
        assertEquals(Duration.ofHours(1), TEN_SECONDS_TO_AN_HOUR.delayAfter(63));
        assertEquals(Duration.ofHours(1), TEN_SECONDS_TO_AN_HOUR.delayAfter(64));
        assertEquals(Duration.ofHours(1), TEN_SECONDS_TO_AN_HOUR.delayAfter(Integer.MAX_VALUE));
    }

    @Test
    void aHugeBaseNeverOverflows() {
        Backoff huge = Backoff.exponential(Duration.ofDays(365 * 1000L), Duration.ofDays(365 * 2000L));
        assertEquals(Duration.ofDays(365 * 2000L), huge.delayAfter(40));
    }

    @Test
    void noFailuresYetCountsAsTheFirst() {
        assertEquals(Duration.ofSeconds(10), TEN_SECONDS_TO_AN_HOUR.delayAfter(0));
        assertEquals(Duration.ofSeconds(10), TEN_SECONDS_TO_AN_HOUR.delayAfter(-5));
    }

    @Test
    void aMaximumBelowTheBaseCapsTheBaseToo() {
        Backoff inverted = Backoff.exponential(Duration.ofMinutes(5), Duration.ofMinutes(1));
        assertEquals(Duration.ofMinutes(1), inverted.delayAfter(1));
        assertEquals(Duration.ofMinutes(1), inverted.delayAfter(4));
    }

    @Test
    void jitterOnlyShortensAndByAtMostItsFraction() {
        Backoff jittered = TEN_SECONDS_TO_AN_HOUR.withJitter(0.25);
        assertEquals(Duration.ofSeconds(40), jittered.delayAfter(3, always(0)));
        assertEquals(Duration.ofSeconds(30), jittered.delayAfter(3, always(1)));
        assertEquals(Duration.ofSeconds(35), jittered.delayAfter(3, always(0.5)));
        assertEquals(Duration.ofMillis(2_700_000), jittered.delayAfter(30, always(1)));
    }

    @Test
    void jitterSpreadsDelaysWithinTheirBounds() {
        Backoff jittered = TEN_SECONDS_TO_AN_HOUR.withJitter(0.5);
        Random random = new Random(42);
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            Duration delay = jittered.delayAfter(4, random);
            assertTrue(delay.compareTo(Duration.ofSeconds(40)) >= 0 && delay.compareTo(Duration.ofSeconds(80)) <= 0,
                    delay.toString());
            seen.add(delay);
        }
        assertTrue(seen.size() > 500, "delays spread: " + seen.size() + " distinct of 1000");
    }

    @Test
    void jitterIsAFractionAndTheDurationsAreNotNegative() {
        assertThrows(IllegalArgumentException.class, () -> TEN_SECONDS_TO_AN_HOUR.withJitter(1.5));
        assertThrows(IllegalArgumentException.class, () -> TEN_SECONDS_TO_AN_HOUR.withJitter(-0.1));
        assertThrows(IllegalArgumentException.class, () -> TEN_SECONDS_TO_AN_HOUR.withJitter(Double.NaN));
        assertThrows(IllegalArgumentException.class,
                () -> Backoff.exponential(Duration.ofSeconds(-1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> Backoff.exponential(null, Duration.ofSeconds(1)));
    }
}
