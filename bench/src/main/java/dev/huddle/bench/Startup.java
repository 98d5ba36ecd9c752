package dev.huddle.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.huddle.migrations.PgUrl;

/**
 * startup: each service alone, from spawning its JVM to its readiness check answering 200 ({@code BENCH_STARTS}
 * runs each, default 3); then core-api's resident memory after 100,000 chat-read requests, with the JVM's defaults
 * and with {@link #LEAN_JVM}, the setting docs/BENCHMARKS.md documents.
 */
final class Startup {

    static final List<String> MODULES = List.of("core-api", "billing-service", "realtime-bridge", "recordings-service");

    /**
     * The documented JVM setting for a small resident set: the serial collector (no concurrent GC threads and their
     * structures on a 2-core host), a bounded heap (the JVM's default maximum is a quarter of the host's memory, which
     * a busy event loop fills with garbage before collecting), bounded metaspace, code cache, thread stacks and direct
     * buffers; with {@link #LEAN_ENV}.
     */
    static final List<String> LEAN_JVM = List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx48m", "-XX:MaxMetaspaceSize=96m",
            "-XX:ReservedCodeCacheSize=24m", "-Xss256k", "-XX:MaxDirectMemorySize=32m", "-XX:CICompilerCount=2");

    /** glibc's malloc otherwise keeps an arena per thread that allocates natively (8 per core). */
    static final Map<String, String> LEAN_ENV = Map.of("MALLOC_ARENA_MAX", "1");

    /** Requests before reading core-api's resident set ({@code BENCH_RSS_REQUESTS}), in 10 s rounds, at most 12. */
    static final long REQUESTS = Long.parseLong(Bench.env("BENCH_RSS_REQUESTS", "100000"));
    static final int MAX_ROUNDS = 12;

    private Startup() {
    }

    static void run(PgUrl server) throws Exception {
        Report report = new Report("startup");
        BenchDatabase db = BenchDatabase.create(server, "startup");
        db.tenant();
        db.messages(1, 10_000);
        int starts = Integer.parseInt(Bench.env("BENCH_STARTS", "3"));
        try (Issuer issuer = new Issuer()) {
            for (String module : MODULES) {
                List<Double> ready = new ArrayList<>();
                List<Double> logged = new ArrayList<>();
                double rss = 0;
                for (int i = 0; i < starts; i++) {
                    try (ServiceProcess s = ServiceProcess.start(module, db.as(schema(module)), issuer, Map.of(),
                            List.of()).awaitReady()) {
                        ready.add(s.msToReady());
                        logged.add(s.loggedStartMs());
                        rss = s.rssMiB();
                    }
                }
                Collections.sort(ready);
                Collections.sort(logged);
                double median = ready.get(ready.size() / 2);
                report.row(
                        module + ": spawn to ready, median of " + starts
                                + " (min-max) ms; Quarkus \"started in\"; RSS at ready",
                        String.format(Locale.ROOT, "%.0f (%.0f-%.0f); %.0f; %.0f MiB", median, ready.get(0),
                                ready.get(ready.size() - 1), logged.get(logged.size() / 2), rss),
                        "", "<= 1.5 s", median <= 1500);
                report.extra().put(module + ".readyMs", ready).put(module + ".startedInMs", logged);
            }
            for (List<String> jvm : List.of(List.<String> of(), LEAN_JVM)) {
                String setting = jvm.isEmpty() ? "JVM defaults" : String.join(" ", jvm) + ", MALLOC_ARENA_MAX=1";
                try (ServiceProcess core = ServiceProcess.start("core-api", db.as("core"), issuer,
                        jvm.isEmpty() ? Map.of() : LEAN_ENV, jvm).awaitReady()) {
                    double idle = core.rssMiB();
                    String token = issuer.token(BenchDatabase.workosUser(0));
                    var page = Load.requestsFile("startup-page", List.of(Load.request("GET", "/v1/orgs/" + BenchDatabase.ORG
                            + "/rooms/" + BenchDatabase.room(0) + "/messages?limit=50", null,
                            Map.of("Authorization", "Bearer " + token))));
                    long done = 0;
                    long failed = 0;
                    Load.Run last = null;
                    for (int round = 0; done < REQUESTS && round < MAX_ROUNDS; round++) {
                        last = Load.wrk("core-api, " + setting, core.url(""), page, Bench.CONNECTIONS, 10);
                        done += last.completed();
                        failed += last.failed();
                    }
                    double after = core.rssMiB();
                    report.run(last);
                    report.row("core-api RSS at ready / after " + String.format(Locale.ROOT, "%,d", done)
                            + " chat-read requests (" + setting + ")",
                            String.format(Locale.ROOT,
                                    "%.0f / %.0f MiB (last 10 s: %,.0f req/s, p99 %s ms; %d failed)", idle, after,
                                    last.perSecond(), Bench.ms(last.at(99)), failed),
                            "", "<= 200 MB", jvm.isEmpty() ? null : after * 1.048576 <= 200);
                }
            }
        } finally {
            db.drop(server);
        }
        report.finish();
    }

    static String schema(String module) {
        return switch (module) {
            case "core-api" -> "core";
            case "billing-service" -> "billing";
            case "realtime-bridge" -> "realtime";
            default -> "recordings";
        };
    }
}
