package dev.huddle.realtime.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** realtime-bridge's own settings: the outbox relay, Centrifugo tokens and the subscribe proxy. */
@ConfigMapping(prefix = "huddle.realtime")
public interface RealtimeConfig {

    Relay relay();

    Tokens tokens();

    Proxy proxy();

    interface Relay {

        /** Polling fallback when no NOTIFY arrives. Environment: {@code OUTBOX_POLL_INTERVAL}. */
        @WithDefault("1s")
        Duration pollInterval();

        /**
         * While a replica relays pass after pass it advertises itself busy for this long (renewed at half of it), and
         * writers skip their NOTIFY. A replica that dies busy delays wake-ups by at most this (then polling).
         */
        @WithDefault("5s")
        Duration busyLease();

        /**
         * While busy, a pass that caught up (claimed less than a batch) lets rows gather this long before the next
         * passes start, so that a steady stream is relayed a few rows per pass instead of one pass per row (each pass is
         * a transaction and a Centrifugo call on the machine the writers share) and the replica stays busy, which
         * spares writers their NOTIFY. It bounds what it adds to a row's latency under load. {@code 0s}: no pause.
         * Environment: {@code OUTBOX_BUSY_LINGER}.
         */
        @WithDefault("5ms")
        Duration busyLinger();

        /**
         * Passes one replica runs at once under load, each a transaction on its own connection over channels the
         * others do not hold (so per-channel order is kept). Environment: {@code OUTBOX_RELAY_CONCURRENCY}.
         */
        @WithDefault("2")
        int concurrency();

        /** Rows claimed per transaction. Environment: {@code OUTBOX_BATCH_SIZE}. */
        @WithDefault("200")
        int batchSize();

        /** Channels locked per transaction. */
        @WithDefault("50")
        int maxChannels();

        /** First retry delay; doubled per attempt. Environment: {@code OUTBOX_BACKOFF_BASE}. */
        @WithDefault("1s")
        Duration backoffBase();

        /** Longest retry delay. Environment: {@code OUTBOX_BACKOFF_MAX}. */
        @WithDefault("5m")
        Duration backoffMax();

        /** Timeout of one Centrifugo API call. Environment: {@code CENTRIFUGO_API_TIMEOUT}. */
        @WithDefault("5s")
        Duration httpTimeout();

        /** Published rows older than this are deleted. Environment: {@code OUTBOX_RETENTION}. */
        @WithDefault("24h")
        Duration retention();

        /** How often the prune runs (on one replica). */
        @WithDefault("10m")
        Duration pruneInterval();

        /** How often the depth and oldest-age gauges are refreshed. */
        @WithDefault("10s")
        Duration metricsInterval();
    }

    interface Tokens {

        /** Lifetime of connection tokens. Environment: {@code CENTRIFUGO_TOKEN_TTL}. */
        @WithDefault("10m")
        Duration ttl();
    }

    interface Proxy {

        /**
         * The subscribe proxy requires header {@code X-Centrifugo-Proxy-Secret} with this value (Centrifugo's proxy
         * {@code static_headers}) and answers 403 without it. Required outside the dev and test profiles: the service
         * does not start without it. Environment: {@code CENTRIFUGO_PROXY_SECRET}.
         */
        Optional<String> secret();
    }
}
