package dev.huddle.recordings.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** recordings-service settings ({@code huddle.recordings.*}). */
@ConfigMapping(prefix = "huddle.recordings")
public interface RecordingsConfig {

    Jobs jobs();

    interface Jobs {

        /**
         * Where the retention and stale jobs run. {@code auto}: in this service (quarkus-scheduler, one replica at a
         * time) only when the database has no pg_cron extension, since the migration schedules them with pg_cron
         * where it exists; {@code off}: never in this service. There is deliberately no value forcing both.
         */
        @WithDefault("auto")
        Mode mode();

        /** A recording in {@code finalizing} for longer than this is failed by reconciliation. */
        @WithDefault("30M")
        Duration staleAfter();

        /** Quartz cron (with seconds) of stale reconciliation in this service; pg_cron's is every 5 minutes. */
        @WithDefault("0 */5 * * * ?")
        String reconcileCron();

        /** Quartz cron (with seconds) of retention in this service; pg_cron's is daily at 03:17. */
        @WithDefault("0 17 3 * * ?")
        String purgeCron();
    }

    enum Mode {
        AUTO,
        OFF
    }
}
