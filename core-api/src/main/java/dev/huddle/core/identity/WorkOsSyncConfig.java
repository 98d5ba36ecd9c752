package dev.huddle.core.identity;

import java.time.Duration;

import dev.huddle.platform.retry.Backoff;
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
     * {@link #backoffMax()}. When WorkOS answers with a {@code Retry-After} header (seconds or an HTTP date, on
     * 429), the wait is what it asks for instead, capped at {@link #backoffMax()}. Environment:
     * {@code HUDDLE_WORKOS_SYNC_BACKOFF_INITIAL}.
     */
    @WithDefault("5s")
    Duration backoffInitial();

    /** Longest wait between failing calls to WorkOS. Environment: {@code HUDDLE_WORKOS_SYNC_BACKOFF_MAX}. */
    @WithDefault("10m")
    Duration backoffMax();

    /** The {@link Backoff} of these two: {@code backoff-initial} doubled per failure in a row, at most the max. */
    default Backoff backoff() {
        return Backoff.exponential(backoffInitial(), backoffMax());
    }

    /**
     * Timeout of one call to the Events API and the list endpoints. Environment: {@code HUDDLE_WORKOS_SYNC_TIMEOUT}.
     */
    @WithDefault("10s")
    Duration timeout();

    /**
     * How old the stored cursor may get before it counts as lost: when every event it is known to cover is older
     * than this, a full reconciliation through WorkOS's list endpoints runs instead of reading events. WorkOS keeps
     * events 30 days; the default leaves a day for clock skew and long runs. Environment:
     * {@code HUDDLE_WORKOS_SYNC_MAX_CURSOR_AGE}.
     */
    @WithDefault("29d")
    Duration maxCursorAge();

    /**
     * Whether the first run (no cursor stored yet) is a full reconciliation, since what happened more than 30 days
     * ago is no longer in the Events API; false: it reads events from the oldest WorkOS keeps. Environment:
     * {@code HUDDLE_WORKOS_SYNC_INITIAL_RECONCILIATION}.
     */
    @WithDefault("true")
    boolean initialReconciliation();
}
