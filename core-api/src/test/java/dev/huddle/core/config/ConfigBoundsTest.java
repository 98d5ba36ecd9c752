package dev.huddle.core.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import dev.huddle.core.chat.ChatConfig;
import dev.huddle.core.identity.WorkOsSyncConfig;
import dev.huddle.core.orgs.OrgConfig;
import dev.huddle.core.ratelimit.RateLimitConfig;
import dev.huddle.testing.TestConfig;

class ConfigBoundsTest {

    @Test
    void theDefaultsAndZeroOrgLimitsStart() {
        assertDoesNotThrow(() -> new ConfigBounds().onStart(null, limits(120, 120, 30), chat(20), orgs(20, 100),
                sync("5s", "10m")));
        assertDoesNotThrow(() -> new ConfigBounds().onStart(null, limits(1, 1, 1), chat(1), orgs(0, 0), sync("0s", "0s")));
    }

    @Test
    void aLimitBelowItsBoundStopsTheStartNamingEveryPropertyOutOfBounds() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ConfigBounds().onStart(null, limits(0, 120, 0), chat(0), orgs(-1, 100), sync("-5s", "10m")));
        assertEquals("configuration out of bounds: huddle.rate-limits.writes.requests must be at least 1 (is 0); "
                + "huddle.rate-limits.sign-in.per-credential must be at least 1 (is 0); "
                + "huddle.chat.rate-limit.messages must be at least 1 (is 0); "
                + "huddle.orgs.max-created-per-day must be at least 0 (is -1); "
                + "huddle.workos-sync.backoff-initial must not be negative (is PT-5S)", e.getMessage());
    }

    private static RateLimitConfig limits(int writes, int perAddress, int perCredential) {
        return TestConfig.mapping(RateLimitConfig.class, "huddle.rate-limits.writes.requests", "" + writes,
                "huddle.rate-limits.sign-in.per-address", "" + perAddress,
                "huddle.rate-limits.sign-in.per-credential", "" + perCredential);
    }

    private static ChatConfig chat(int messages) {
        return TestConfig.mapping(ChatConfig.class, "huddle.chat.rate-limit.messages", "" + messages);
    }

    private static WorkOsSyncConfig sync(String backoffInitial, String backoffMax) {
        return TestConfig.mapping(WorkOsSyncConfig.class, "huddle.workos-sync.backoff-initial", backoffInitial,
                "huddle.workos-sync.backoff-max", backoffMax);
    }

    private static OrgConfig orgs(int perDay, int owned) {
        return TestConfig.mapping(OrgConfig.class, "huddle.orgs.max-created-per-day", "" + perDay,
                "huddle.orgs.max-owned", "" + owned);
    }
}
