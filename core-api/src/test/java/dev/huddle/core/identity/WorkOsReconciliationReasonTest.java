package dev.huddle.core.identity;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import dev.huddle.testing.TestConfig;

/** When the stored cursor counts as lost, with the defaults. */
class WorkOsReconciliationReasonTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private static WorkOsSyncConfig config(boolean initialReconciliation) {
        return TestConfig.mapping(WorkOsSyncConfig.class, "huddle.workos-sync.initial-reconciliation",
                String.valueOf(initialReconciliation));
    }

    private static OffsetDateTime daysAgo(int days) {
        return NOW.minus(Duration.ofDays(days)).atOffset(ZoneOffset.UTC);
    }

    @Test
    void noCursorYetReconcilesUnlessTurnedOff() {
        assertNotNull(WorkOsEventSync.reconciliationReason(null, NOW, config(true)));
        assertNull(WorkOsEventSync.reconciliationReason(null, NOW, config(false)));
    }

    @Test
    void aCursorIsLostWhenEverythingItCoversIsOlderThanTheMaximumAge() {
        var fresh = new WorkOsSyncRepository.Cursor("event_01A", daysAgo(28), null);
        var stale = new WorkOsSyncRepository.Cursor("event_01A", daysAgo(30), null);
        assertNull(WorkOsEventSync.reconciliationReason(fresh, NOW, config(true)));
        assertNotNull(WorkOsEventSync.reconciliationReason(stale, NOW, config(true)));
    }

    @Test
    void aQuietStreamReadToItsEndRecentlyIsNotStale() {
        var quiet = new WorkOsSyncRepository.Cursor("event_01A", daysAgo(60), daysAgo(0));
        var afterReconciliation = new WorkOsSyncRepository.Cursor(null, null, daysAgo(1));
        assertNull(WorkOsEventSync.reconciliationReason(quiet, NOW, config(true)));
        assertNull(WorkOsEventSync.reconciliationReason(afterReconciliation, NOW, config(true)));
    }

    @Test
    void aCursorThatSaysNothingOfItsAgeIsReadOn() {
        assertNull(WorkOsEventSync.reconciliationReason(new WorkOsSyncRepository.Cursor("event_01A", null, null), NOW,
                config(true)));
    }
}
