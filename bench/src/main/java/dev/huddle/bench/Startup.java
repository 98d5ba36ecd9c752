package dev.huddle.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.huddle.migrations.PgUrl;
import dev.huddle.testing.PackagedApp;

/**
 * startup: each service alone, from spawning its JVM to its readiness check answering 200 ({@code BENCH_STARTS}
 * runs each, default 3), as shipped (with its class-data archive) and without the archive, in turn; then core-api's resident
 * memory after 100,000 chat-read requests, with the JVM's defaults
 * and with {@link #LEAN_JVM}, the setting docs/BENCHMARKS.md documents.
 */
final class Startup {

    static final List<String> MODULES = List.of("core-api", "billing-service", "realtime-bridge", "recordings-service");

    /** Each service starts as shipped (its class-data archive required to fit) and, to compare, without it. */
    static final List<PackagedApp.Archive> ARCHIVES = List.of(PackagedApp.Archive.REQUIRED, PackagedApp.Archive.NONE);

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
                // as the images start (with the class-data archive), then without it, one start of each in turn
                Map<PackagedApp.Archive, List<Double>> ready = new EnumMap<>(PackagedApp.Archive.class);
                Map<PackagedApp.Archive, List<Double>> logged = new EnumMap<>(PackagedApp.Archive.class);
                Map<PackagedApp.Archive, Double> rss = new EnumMap<>(PackagedApp.Archive.class);
                for (int i = 0; i < starts; i++) {
                    for (PackagedApp.Archive archive : ARCHIVES) {
                        try (ServiceProcess s = ServiceProcess.start(module, db.as(schema(module)), issuer, Map.of(),
                                List.of(), archive).awaitReady()) {
                            ready.computeIfAbsent(archive, a -> new ArrayList<>()).add(s.msToReady());
                            logged.computeIfAbsent(archive, a -> new ArrayList<>()).add(s.loggedStartMs());
                            rss.put(archive, s.rssMiB());
                        }
                    }
                }
                for (PackagedApp.Archive archive : ARCHIVES) {
                    List<Double> r = ready.get(archive);
                    List<Double> l = logged.get(archive);
                    Collections.sort(r);
                    Collections.sort(l);
                    double median = r.get(r.size() / 2);
                    boolean asShipped = archive == PackagedApp.Archive.REQUIRED;
                    report.row(module + (asShipped ? " (with its class-data archive, as shipped)" : " (without the archive)")
                            + ": spawn to ready, median of " + starts + " (min-max) ms; Quarkus \"started in\"; RSS at ready",
                            String.format(Locale.ROOT, "%.0f (%.0f-%.0f); %.0f; %.0f MiB", median, r.get(0),
                                    r.get(r.size() - 1), l.get(l.size() / 2), rss.get(archive)),
                            "", asShipped ? "<= 1.5 s" : "", asShipped ? median <= 1500 : null);
                    String key = module + (asShipped ? "" : ".withoutArchive");
                    report.extra().put(key + ".readyMs", r).put(key + ".startedInMs", l);
                }
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
