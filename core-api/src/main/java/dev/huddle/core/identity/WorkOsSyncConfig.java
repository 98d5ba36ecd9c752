package dev.huddle.core.identity;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** WorkOS event sync: how often core-api reads WorkOS's Events API and how it treats failures. */
@ConfigMapping(prefix = "huddle.workos-sync")
public interface WorkOsSyncConfig {

    /**
     * How often each replica tries to sync (only one runs at a time). Environment:
     * {@code HUDDLE_WORKOS_SYNC_INTERVAL}.
     */
    @WithDefault("30s")
    Duration interval();

    /**
     * Whether the scheduled sync runs at all (it is also skipped while {@code WORKOS_API_KEY} is not set).
     * Environment: {@code HUDDLE_WORKOS_SYNC_ENABLED}.
     */
    @WithDefault("true")
    boolean enabled();

    /** Events asked for per request, 1 to 100. Environment: {@code HUDDLE_WORKOS_SYNC_PAGE_SIZE}. */
    @WithDefault("100")
    int pageSize();

    /** Pages read at most in one run; the next run goes on. Environment: {@code HUDDLE_WORKOS_SYNC_MAX_PAGES}. */
    @WithDefault("20")
    int maxPages();

    /**
     * After how many failed attempts an event is poison: recorded in {@code core.workos_poison_events} and
     * skipped, so it does not block the stream. Environment: {@code HUDDLE_WORKOS_SYNC_POISON_AFTER}.
     */
    @WithDefault("3")
    int poisonAfter();

    /**
     * Wait after the first failed call to WorkOS (429, 5xx, timeout); doubled after each further failure, up to
     * {@link #backoffMax()}. Environment: {@code HUDDLE_WORKOS_SYNC_BACKOFF_INITIAL}.
     */
    @WithDefault("5s")
    Duration backoffInitial();

    /** Longest wait between failing calls to WorkOS. Environment: {@code HUDDLE_WORKOS_SYNC_BACKOFF_MAX}. */
    @WithDefault("10m")
    Duration backoffMax();

    /** Timeout of one call to the Events API. Environment: {@code HUDDLE_WORKOS_SYNC_TIMEOUT}. */
    @WithDefault("10s")
    Duration timeout();
}
