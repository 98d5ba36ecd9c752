package dev.huddle.core.workos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** Reading {@code Retry-After} (RFC 9110 section 10.2.3): delay-seconds or an HTTP-date. */
class WorkOsErrorMapperTest {

    private static final Instant NOW = Instant.parse("2026-10-21T07:20:00Z");

    @Test
    void delaySeconds() {
        assertEquals(NOW.plusSeconds(120), WorkOsErrorMapper.retryAt("120", NOW));
        assertEquals(NOW, WorkOsErrorMapper.retryAt("0", NOW));
        assertEquals(NOW.plusSeconds(7), WorkOsErrorMapper.retryAt(" 7 ", NOW));
    }

    @Test
    void anHttpDate() {
        assertEquals(Instant.parse("2026-10-21T07:28:00Z"), WorkOsErrorMapper.retryAt("Wed, 21 Oct 2026 07:28:00 GMT", NOW));
        // a date already past is no wait
        assertEquals(Instant.parse("2026-10-21T07:00:00Z"), WorkOsErrorMapper.retryAt("Wed, 21 Oct 2026 07:00:00 GMT", NOW));
    }

    @Test
    void absentOrUnreadableIsNoAnswer() {
        assertNull(WorkOsErrorMapper.retryAt(null, NOW));
        assertNull(WorkOsErrorMapper.retryAt("", NOW));
        assertNull(WorkOsErrorMapper.retryAt("soon", NOW));
        assertNull(WorkOsErrorMapper.retryAt("-5", NOW));
        assertNull(WorkOsErrorMapper.retryAt("2026-10-21T07:28:00Z", NOW));
    }

    @Test
    void anAbsurdDelayIsHeldToAYear() {
        assertEquals(NOW.plus(Duration.ofDays(366)), WorkOsErrorMapper.retryAt("99999999999999999999999", NOW));
    }
}
