package dev.huddle.bench;

import java.util.List;

import dev.huddle.migrations.PgUrl;

/**
 * publish-latency: commit to Centrifugo-accepted at 1,000 events/s through the real realtime-bridge, as
 * {@link OutboxLatencyBench} measures it (16 writers, 100 room channels, durable commits).
 */
final class PublishLatency {

    static final int RATE = 1000;

    private PublishLatency() {
    }

    static void run(PgUrl server) throws Exception {
        Report report = new Report("publish-latency");
        OutboxLatencyBench bench = new OutboxLatencyBench();
        // at least 30 s measured: a p99 of a shorter run rests on too few slow events
        Load.Run run = bench.run(server, List.of(RATE), Math.max(30, Bench.SECONDS), Bench.WARMUP).get(0);
        report.run(run);
        report.row("events committed and published (" + RATE + "/s offered)", String.format("%,d at %,.0f/s",
                run.completed(), run.perSecond()));
        report.row("p50 ms", Bench.ms(run.at(50)), "", "<= 5 ms", run.at(50) <= 5);
        report.row("p99 ms", Bench.ms(run.at(99)), "", "<= 25 ms", run.at(99) <= 25);
        report.row("p99.9 / max ms", Bench.ms(run.at(99.9)) + " / " + Bench.ms(run.at(100)));
        report.row("lost or failed, published twice", run.failed() + ", " + bench.duplicates(), "", "0, 0",
                run.failed() == 0 && bench.duplicates() == 0);
        report.finish();
    }
}
