package dev.huddle.recordings.jobs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Limits the job could not follow stop start-up, saying which setting is wrong. */
class JobSettingsCheckTest {

    @Test
    void aHardLimitShorterThanStaleAfterIsRefusedByName() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> JobSettings.check(Duration.ofMinutes(30), Duration.ofMinutes(10)));
        assertThat(e.getMessage(), containsString("RECORDINGS_GIVE_UP_AFTER"));
        assertThat(e.getMessage(), containsString("must not be shorter than stale-after"));
    }

    @Test
    void aStaleAfterOfZeroIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> JobSettings.check(Duration.ZERO, Duration.ofHours(24)));
        assertThat(e.getMessage(), containsString("RECORDINGS_STALE_AFTER"));
    }

    @Test
    void equalLimitsAndTheDefaultsAreAccepted() {
        assertDoesNotThrow(() -> JobSettings.check(Duration.ofMinutes(30), Duration.ofHours(24)));
        assertDoesNotThrow(() -> JobSettings.check(Duration.ofHours(2), Duration.ofHours(2)));
    }
}
