package dev.huddle.recordings.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** recordings-service settings ({@code huddle.recordings.*}). */
@ConfigMapping(prefix = "huddle.recordings")
public interface RecordingsConfig {

    Jobs jobs();

    Storage storage();

    interface Jobs {

        /**
         * Where the retention and stale jobs run. {@code auto}: in this service (quarkus-scheduler, one replica at a
         * time) only when the database has no pg_cron extension, since the migration schedules them with pg_cron
         * where it exists; {@code off}: never in this service. There is deliberately no value forcing both.
         */
        @WithDefault("auto")
        Mode mode();

        /**
         * A recording in {@code finalizing} for longer than this is stale: the job marks it, and this service asks
         * LiveKit about its egress (when configured). Written into {@code recordings.job_settings}, which the job
         * reads wherever it runs (pg_cron included).
         */
        @WithDefault("30M")
        Duration staleAfter();

        /**
         * The hard limit: a recording finalizing this long is failed by the job without LiveKit's word (LiveKit's own
         * result, arriving later, still replaces that failure). Not shorter than {@link #staleAfter()}; written into
         * {@code recordings.job_settings} like it.
         */
        @WithDefault("24H")
        Duration giveUpAfter();

        /** Stale candidates LiveKit is asked about in one round (one ListEgress call each). */
        @WithDefault("100")
        int reconcileBatchSize();

        /** Timeout of one ListEgress call. */
        @WithDefault("10S")
        Duration livekitTimeout();

        /**
         * Quartz cron (with seconds) of stale reconciliation in this service: the SQL job and the LiveKit check, or
         * the LiveKit check alone where pg_cron runs the SQL job (every 5 minutes).
         */
        @WithDefault("0 */5 * * * ?")
        String reconcileCron();

        /** Quartz cron (with seconds) of retention in this service; pg_cron's is daily at 03:17. */
        @WithDefault("0 17 3 * * ?")
        String purgeCron();
    }

    /**
     * The S3-compatible bucket LiveKit egress uploads recordings to: objects of deleted recordings are deleted from
     * it, and download URLs point into it. Configured when bucket, access key id and secret are set.
     */
    interface Storage {

        /** S3 API endpoint; empty: AWS S3 of {@link #region()}. Environment: {@code S3_ENDPOINT}. */
        Optional<URI> endpoint();

        /** Region (signing region for other S3-compatible services). Environment: {@code S3_REGION}. */
        @WithDefault("us-east-1")
        String region();

        /** The bucket, the same LiveKit egress uploads to. Environment: {@code S3_BUCKET}. */
        Optional<String> bucket();

        /** Environment: {@code S3_ACCESS_KEY_ID}. */
        Optional<String> accessKeyId();

        /** Environment: {@code S3_SECRET_ACCESS_KEY}. */
        Optional<String> secretAccessKey();

        /** Path-style URLs ({@code endpoint/bucket/key}), as MinIO and most S3-compatible services want. */
        @WithDefault("false")
        boolean pathStyle();

        /** How often the deletion worker looks for due objects. */
        @WithDefault("30S")
        Duration pollInterval();

        /** Queued objects claimed per round. */
        @WithDefault("50")
        int batchSize();

        /** A claimed object whose worker died returns to the queue after this long. */
        @WithDefault("5M")
        Duration lease();

        /** First retry delay after a failed deletion, doubled each attempt. */
        @WithDefault("30S")
        Duration backoffBase();

        /** Longest retry delay. */
        @WithDefault("1H")
        Duration backoffMax();

        /** Timeout of one S3 call, retries included. */
        @WithDefault("20S")
        Duration apiTimeout();

        /** Lifetime of a download URL. */
        @WithDefault("5M")
        Duration downloadUrlTtl();
    }

    enum Mode {
        AUTO,
        OFF
    }
}
