package dev.huddle.core.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** Reading {@code Retry-After} (RFC 9110 section 10.2.3): delay-seconds or an HTTP-date. */
class WorkOsHttpTest {

    private static final Instant NOW = Instant.parse("2026-10-21T07:20:00Z");

    @Test
    void delaySeconds() {
        assertEquals(NOW.plusSeconds(120), WorkOsHttp.retryAt("120", NOW));
        assertEquals(NOW, WorkOsHttp.retryAt("0", NOW));
        assertEquals(NOW.plusSeconds(7), WorkOsHttp.retryAt(" 7 ", NOW));
    }

    @Test
    void anHttpDate() {
        assertEquals(Instant.parse("2026-10-21T07:28:00Z"), WorkOsHttp.retryAt("Wed, 21 Oct 2026 07:28:00 GMT", NOW));
        // a date already past is no wait
        assertEquals(Instant.parse("2026-10-21T07:00:00Z"), WorkOsHttp.retryAt("Wed, 21 Oct 2026 07:00:00 GMT", NOW));
    }

    @Test
    void absentOrUnreadableIsNoAnswer() {
        assertNull(WorkOsHttp.retryAt(null, NOW));
        assertNull(WorkOsHttp.retryAt("", NOW));
        assertNull(WorkOsHttp.retryAt("soon", NOW));
        assertNull(WorkOsHttp.retryAt("-5", NOW));
        assertNull(WorkOsHttp.retryAt("2026-10-21T07:28:00Z", NOW));
    }

    @Test
    void anAbsurdDelayIsHeldToAYear() {
        assertEquals(NOW.plus(Duration.ofDays(366)), WorkOsHttp.retryAt("99999999999999999999999", NOW));
    }
}
