package dev.huddle.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.event.Observes;

import dev.huddle.core.chat.ChatConfig;
import dev.huddle.core.identity.WorkOsSyncConfig;
import dev.huddle.core.orgs.OrgConfig;
import dev.huddle.core.ratelimit.RateLimitConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * The bounds of core-api's numeric settings (counts, and waits that cannot be negative), checked as the service starts: a value
 * out of bounds stops it, naming
 * the property. Checked here, not with Bean Validation annotations on the mappings: a constraint on any
 * {@code @ConfigMapping} makes Quarkus build a second Hibernate Validator factory for the configuration at start-up,
 * which was about a third of core-api's start-up time (docs/BENCHMARKS.md, startup).
 */
public class ConfigBounds {

    void onStart(@Observes StartupEvent event, RateLimitConfig limits, ChatConfig chat, OrgConfig orgs,
            WorkOsSyncConfig workOsSync) {
        List<String> wrong = new ArrayList<>();
        atLeast(wrong, "huddle.rate-limits.writes.requests", limits.writes().requests(), 1);
        atLeast(wrong, "huddle.rate-limits.sign-in.per-address", limits.signIn().perAddress(), 1);
        atLeast(wrong, "huddle.rate-limits.sign-in.per-credential", limits.signIn().perCredential(), 1);
        atLeast(wrong, "huddle.chat.rate-limit.messages", chat.rateLimit().messages(), 1);
        atLeast(wrong, "huddle.orgs.max-created-per-day", orgs.maxCreatedPerDay(), 0);
        atLeast(wrong, "huddle.orgs.max-owned", orgs.maxOwned(), 0);
        notNegative(wrong, "huddle.workos-sync.backoff-initial", workOsSync.backoffInitial());
        notNegative(wrong, "huddle.workos-sync.backoff-max", workOsSync.backoffMax());
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("configuration out of bounds: " + String.join("; ", wrong));
        }
    }

    static void atLeast(List<String> wrong, String property, long value, long minimum) {
        if (value < minimum) {
            wrong.add(property + " must be at least " + minimum + " (is " + value + ")");
        }
    }

    static void notNegative(List<String> wrong, String property, Duration value) {
        if (value.isNegative()) {
            wrong.add(property + " must not be negative (is " + value + ")");
        }
    }
}
