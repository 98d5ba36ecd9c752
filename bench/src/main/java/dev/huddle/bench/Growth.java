package dev.huddle.bench;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.huddle.migrations.PgUrl;
import dev.huddle.testing.PostgresServer;

/**
 * growth: how time grows with the data. chat-read (page 1) and chat-write at 10 k, 100 k and 1 M messages in the room
 * ({@code BENCH_GROWTH_SECONDS} each, default 8); the retention purge and the stale reconciliation (the SQL jobs
 * pg_cron or recordings-service runs) at 10 k, 100 k and 1 M recordings, 1 % of them expired, 1 % finalizing past
 * the give-up limit and 1 % stale, then once more with nothing left to do.
 */
final class Growth {

    static final long[] SIZES = { 10_000, 100_000, 1_000_000 };

    private Growth() {
    }

    static void run(PgUrl server) throws Exception {
        Report report = new Report("growth");
        int seconds = Integer.parseInt(Bench.env("BENCH_GROWTH_SECONDS", "8"));
        BenchDatabase db = BenchDatabase.create(server, "growth");
        db.tenant();
        try (Issuer issuer = new Issuer();
                ServiceProcess bridge = ServiceProcess.start("realtime-bridge", db.as("realtime"), issuer, Map.of(),
                        List.of()).awaitReady();
                ServiceProcess core = Bench.postingCoreApi(db, issuer)) {
            String page = "/v1/orgs/" + BenchDatabase.ORG + "/rooms/" + BenchDatabase.room(0) + "/messages?limit=50";
            var read = Load.requestsFile("growth-read", List.of(Load.request("GET", page, null,
                    Map.of("Authorization", "Bearer " + issuer.token(BenchDatabase.workosUser(0))))));
            var write = Load.requestsFile("growth-write", Bench.posts(issuer));
            long have = 0;
            for (long size : SIZES) {
                db.messages(have + 1, size);
                have = size;
                if (size == SIZES[0]) {
                    Load.wrk("warm-up", core.url(""), read, Bench.CONNECTIONS, Bench.WARMUP);
                    Load.wrk("warm-up", core.url(""), write, Bench.CONNECTIONS, Bench.WARMUP);
                }
                Load.Run r = Load.wrk(label(size) + " messages, read page 1", core.url(""), read, Bench.CONNECTIONS,
                        seconds);
                Load.Run w = Load.wrk(label(size) + " messages, post", core.url(""), write, Bench.CONNECTIONS, seconds);
                report.run(r);
                report.run(w);
                report.row("chat at " + label(size) + " messages in the room: read req/s, p99 ms; write req/s, p99 ms",
                        String.format(Locale.ROOT, "%,.0f, %s; %,.0f, %s (%d failed)", r.perSecond(), Bench.ms(r.at(99)),
                                w.perSecond(), Bench.ms(w.at(99)), r.failed() + w.failed()));
            }
        }
        long have = 0;
        for (long size : SIZES) {
            recordings(db, have + 1, size);
            have = size;
            double purge = timed(db, "SELECT recordings.purge_expired_recordings()");
            double reconcile = timed(db, "SELECT recordings.reconcile_stale_recordings()");
            double purgeIdle = timed(db, "SELECT recordings.purge_expired_recordings()");
            double reconcileIdle = timed(db, "SELECT recordings.reconcile_stale_recordings()");
            report.row("jobs at " + label(size) + " recordings: purge, reconcile ms (1 % to do each); again with nothing to do",
                    String.format(Locale.ROOT, "%.0f, %.0f; %.0f, %.0f", purge, reconcile, purgeIdle, reconcileIdle));
            report.extra().put("jobs." + size, new io.vertx.core.json.JsonObject().put("purgeMs", purge)
                    .put("reconcileMs", reconcile).put("purgeIdleMs", purgeIdle).put("reconcileIdleMs", reconcileIdle));
        }
        db.drop(server);
        report.finish();
    }

    /** Recordings {@code from..to} over 100 orgs: 1 % expired, 1 % finalizing for 2 days, 1 % for an hour. */
    private static void recordings(BenchDatabase db, long from, long to) throws Exception {
        db.exec("""
                INSERT INTO recordings.recordings (id, org_id, egress_id, status, location, started_at, ended_at,
                                                   created_at, updated_at)
                  SELECT md5('bench-rec-' || i)::uuid, md5('bench-org-' || (i %% 100))::uuid, 'EG_bench_' || i,
                         CASE WHEN i %% 100 IN (0, 1) THEN 'finalizing' ELSE 'ready' END,
                         's3://bench/recordings/' || i || '.mp4', t - interval '1 hour', t,
                         t, CASE i %% 100 WHEN 0 THEN now() - interval '2 days' WHEN 1 THEN now() - interval '1 hour' ELSE t END
                  FROM generate_series(%d::bigint, %d::bigint) i,
                       LATERAL (SELECT CASE WHEN i %% 100 = 2 THEN now() - interval '100 days'
                                            ELSE now() - (i %% 80) * interval '1 day' - interval '3 days' END AS t) c;
                """.formatted(from, to));
        db.exec("VACUUM ANALYZE recordings.recordings");
    }

    /** Runs {@code sql} in its own transaction and answers its time in ms. */
    private static double timed(BenchDatabase db, String sql) throws Exception {
        try (Connection c = PostgresServer.connect(db.admin()); Statement st = c.createStatement()) {
            long start = System.nanoTime();
            st.execute(sql);
            return (System.nanoTime() - start) / 1e6;
        }
    }

    private static String label(long size) {
        return size >= 1_000_000 ? size / 1_000_000 + " M" : size / 1_000 + " k";
    }
}
