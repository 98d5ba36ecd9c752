package dev.huddle.core.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.huddle.core.chat.ChatConfig;
import dev.huddle.core.orgs.OrgConfig;
import dev.huddle.core.ratelimit.RateLimitConfig;

class ConfigBoundsTest {

    @Test
    void theDefaultsAndZeroOrgLimitsStart() {
        assertDoesNotThrow(() -> new ConfigBounds().onStart(null, limits(120, 120, 30), chat(20), orgs(20, 100)));
        assertDoesNotThrow(() -> new ConfigBounds().onStart(null, limits(1, 1, 1), chat(1), orgs(0, 0)));
    }

    @Test
    void aLimitBelowItsBoundStopsTheStartNamingEveryPropertyOutOfBounds() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ConfigBounds().onStart(null, limits(0, 120, 0), chat(0), orgs(-1, 100)));
        assertEquals("configuration out of bounds: huddle.rate-limits.writes.requests must be at least 1 (is 0); "
                + "huddle.rate-limits.sign-in.per-credential must be at least 1 (is 0); "
                + "huddle.chat.rate-limit.messages must be at least 1 (is 0); "
                + "huddle.orgs.max-created-per-day must be at least 0 (is -1)", e.getMessage());
    }

    private static RateLimitConfig limits(int writes, int perAddress, int perCredential) {
        Duration minute = Duration.ofMinutes(1);
        return new RateLimitConfig() {
            @Override
            public Writes writes() {
                return new Writes() {
                    @Override
                    public int requests() {
                        return writes;
                    }

                    @Override
                    public Duration period() {
                        return minute;
                    }
                };
            }

            @Override
            public SignIn signIn() {
                return new SignIn() {
                    @Override
                    public int perAddress() {
                        return perAddress;
                    }

                    @Override
                    public int perCredential() {
                        return perCredential;
                    }

                    @Override
                    public Duration period() {
                        return minute;
                    }
                };
            }
        };
    }

    private static ChatConfig chat(int messages) {
        return () -> new ChatConfig.RateLimit() {
            @Override
            public int messages() {
                return messages;
            }

            @Override
            public Duration period() {
                return Duration.ofSeconds(10);
            }
        };
    }

    private static OrgConfig orgs(int perDay, int owned) {
        return new OrgConfig() {
            @Override
            public int maxCreatedPerDay() {
                return perDay;
            }

            @Override
            public int maxOwned() {
                return owned;
            }
        };
    }
}
