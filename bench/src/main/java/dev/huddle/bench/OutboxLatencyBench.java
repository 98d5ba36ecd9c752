package dev.huddle.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.huddle.migrations.PgUrl;
import dev.huddle.platform.outbox.Channels;
import dev.huddle.platform.outbox.OutboxWriter;
import dev.huddle.testing.MigratedDatabase;
import dev.huddle.testing.PackagedApp;
import dev.huddle.testing.PostgresServer;
import dev.huddle.testing.TokenMinter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * Commit-to-publish latency of the outbox: events are appended through the real {@link OutboxWriter} (as core-api
 * appends them, one event per transaction) at a fixed rate, the real realtime-bridge (its built jar, a separate
 * process) relays them, and a stand-in for Centrifugo's HTTP API records when each publish arrives. Latency is from
 * the writer's commit returning to the publish reaching Centrifugo's API; both ends are timed by this process's
 * monotonic clock.
 * <p>
 * Environment: {@code BENCH_PG_URL} (admin URL; else PG_ADMIN_URL or an embedded server), {@code RATES} (events per
 * second, space separated, default "50 1000"), {@code DURATION_SECONDS} (measured seconds per rate, default 60),
 * {@code WARMUP_SECONDS} (default 10), {@code CHANNELS} (rooms written to, default 100), {@code WRITERS} (writer
 * pool size, default 16), {@code REPLICAS} (realtime-bridge processes, default 1), {@code BRIDGE_JAR} (default
 * realtime-bridge/target/quarkus-app/quarkus-run.jar).
 */
public final class OutboxLatencyBench {

    private static final int MAX_EVENTS = 2_000_000;

    /** Arrival time (nanoTime) per event sequence number; 0 until it arrives. */
    private final AtomicLongArray arrived = new AtomicLongArray(MAX_EVENTS);
    private final AtomicLongArray committed = new AtomicLongArray(MAX_EVENTS);
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger batches = new AtomicInteger();
    /** The stand-in's worker threads (not daemons: shut down when the run ends, or the JVM stays). */
    private final ExecutorService standInThreads = Executors.newFixedThreadPool(8);

    public static void main(String[] args) throws Exception {
        List<Integer> rates = Arrays.stream(env("RATES", "50 1000").trim().split("\\s+")).map(Integer::valueOf).toList();
        String bench = System.getenv("BENCH_PG_URL");
        PgUrl server = bench == null || bench.isBlank() ? PostgresServer.shared() : PgUrl.parse(bench);
        new OutboxLatencyBench().run(server, rates, Integer.parseInt(env("DURATION_SECONDS", "60")),
                Integer.parseInt(env("WARMUP_SECONDS", "10")));
        System.exit(0);
    }

    /**
     * Measures each rate in turn ({@code warmup} then {@code seconds} each), prints the Markdown table, and answers
     * one {@link Load.Run} per rate (the latency curve of the measured events; failed = writes failed plus lost).
     */
    List<Load.Run> run(PgUrl server, List<Integer> rates, int seconds, int warmup) throws Exception {
        int channelCount = Integer.parseInt(env("CHANNELS", "100"));
        int writers = Integer.parseInt(env("WRITERS", "16"));
        int replicas = Integer.parseInt(env("REPLICAS", "1"));
        Path jar = Path.of(env("BRIDGE_JAR", "realtime-bridge/target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build realtime-bridge first");
        }
        List<Load.Run> results = new ArrayList<>();
        MigratedDatabase db = MigratedDatabase.create(server, "outbox_latency");
        say("database " + db.admin().database() + " on " + server.host() + ":" + server.port() + ", "
                + setting(db, "fsync") + ", " + setting(db, "synchronous_commit"));

        HttpServer standIn = standIn();
        List<Process> bridges = new ArrayList<>();
        for (int i = 1; i <= replicas; i++) {
            bridges.add(startBridge(jar, db, standIn.getAddress().getPort(), i));
        }
        Vertx vertx = Vertx.vertx();
        try {
            PgUrl core = db.as("core");
            PgConnectOptions connect = PgConnectOptions.fromUri(core.reactiveUrl()).setUser(core.user())
                    .setPassword(core.password().orElse(""));
            Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(writers)).connectingTo(connect)
                    .using(vertx).build();
            List<String> channels = new ArrayList<>();
            for (int i = 0; i < channelCount; i++) {
                channels.add(Channels.room(UUID.randomUUID()));
            }
            System.out.println();
            System.out.println("| rate (events/s) | events | achieved rate | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms "
                    + "| lost | Centrifugo calls |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            int next = 0;
            for (int rate : rates) {
                next = measure(pool, channels, rate, warmup, seconds, next, results);
            }
            pool.closeAndAwait();
        } finally {
            for (Process bridge : bridges) {
                bridge.destroy();
                bridge.waitFor(20, TimeUnit.SECONDS);
            }
            vertx.closeAndAwait();
            standIn.stop(0);
            standInThreads.shutdownNow();
            PostgresServer.dropDatabase(server, db.admin().database());
        }
        return results;
    }

    /** Writes at {@code rate} for warm-up plus measured seconds from sequence {@code first}; answers the next. */
    private int measure(Pool pool, List<String> channels, int rate, int warmup, int seconds, int first,
            List<Load.Run> results) throws InterruptedException {
        OutboxWriter writer = new OutboxWriter();
        int total = rate * (warmup + seconds);
        int measuredFrom = first + rate * warmup;
        int end = first + total;
        if (end > MAX_EVENTS) {
            throw new IllegalArgumentException("too many events for one run: " + end);
        }
        int callsBefore = batches.get();
        CountDownLatch done = new CountDownLatch(total);
        AtomicInteger failures = new AtomicInteger();
        var ticker = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        long tickNanos = 5_000_000L; // every 5 ms, the events due by then
        AtomicInteger issued = new AtomicInteger();
        ticker.scheduleAtFixedRate(() -> {
            long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L + 1);
            while (issued.get() < due) {
                int seq = first + issued.getAndIncrement();
                String channel = channels.get(seq % channels.size());
                pool.withTransaction(tx -> writer.append(tx, channel, "bench.event", Map.of("seq", seq)))
                        .subscribe().with(ok -> {
                            committed.set(seq, System.nanoTime());
                            done.countDown();
                        }, failure -> {
                            failures.incrementAndGet();
                            done.countDown();
                        });
            }
        }, 0, tickNanos, TimeUnit.NANOSECONDS);
        done.await();
        long writeNanos = System.nanoTime() - start;
        ticker.shutdownNow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && missing(first, end) > 0) {
            Thread.sleep(100);
        }
        long[] latencies = new long[end - measuredFrom];
        int n = 0;
        int lost = 0;
        for (int seq = measuredFrom; seq < end; seq++) {
            long c = committed.get(seq);
            long a = arrived.get(seq);
            if (c == 0) {
                continue; // the write failed: counted below, never arrives
            }
            if (a == 0) {
                lost++;
                continue;
            }
            // the relay may see the commit a hair before the writer's driver hands it over: that is 0 ms
            latencies[n++] = Math.max(0, a - c);
        }
        latencies = Arrays.copyOf(latencies, n);
        Arrays.sort(latencies);
        double achieved = total * 1e9 / writeNanos;
        System.out.printf("| %d | %d | %.0f | %s | %s | %s | %s | %s | %d | %d |%n", rate, n, achieved,
                ms(Load.percentile(latencies, 50)), ms(Load.percentile(latencies, 90)), ms(Load.percentile(latencies, 99)),
                ms(Load.percentile(latencies, 99.9)),
                ms(n == 0 ? 0 : latencies[n - 1]), lost, batches.get() - callsBefore);
        results.add(new Load.Run(rate + " events/s, commit to publish", achieved, n, failures.get() + lost,
                Load.curve(latencies, 1e6)));
        if (failures.get() > 0 || duplicates.get() > 0) {
            System.out.printf("  (%d writes failed, %d publishes arrived twice)%n", failures.get(), duplicates.get());
        }
        return end;
    }

    /** Publishes that reached the stand-in more than once, over the whole run. */
    int duplicates() {
        return duplicates.get();
    }

    private int missing(int from, int to) {
        int missing = 0;
        for (int seq = from; seq < to; seq++) {
            if (committed.get(seq) != 0 && arrived.get(seq) == 0) {
                missing++;
            }
        }
        return missing;
    }

    private static String ms(long nanos) {
        return String.format("%.1f", nanos / 1e6);
    }

    /**
     * Centrifugo's {@code POST /api/batch} (records each publish's arrival and answers every command with success),
     * and a JWKS for the bridge's token check, which the bench never uses.
     */
    private HttpServer standIn() throws IOException {
        // Centrifugo (Go) answers with TCP_NODELAY; the JDK's server does not unless asked, and Nagle's algorithm
        // against the client's delayed ACK then holds each reply back ~40 ms, which measures the stand-in, not us.
        // Set here, before the first server is made (the JDK reads it once), so that every caller gets it: bench/run
        // publish-latency comes through Bench, not main, and ran without it until 2026-11-29.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(standInThreads);
        server.createContext("/api/batch", this::batch);
        byte[] jwks = TokenMinter.generate().jwksJson().getBytes(StandardCharsets.UTF_8);
        server.createContext("/sso/jwks/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        server.start();
        return server;
    }

    private void batch(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        batches.incrementAndGet();
        JsonObject request;
        try (InputStream in = exchange.getRequestBody()) {
            request = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        JsonArray replies = new JsonArray();
        for (Object o : request.getJsonArray("commands", new JsonArray())) {
            JsonObject command = (JsonObject) o;
            String method = command.fieldNames().iterator().next();
            if (method.equals("publish")) {
                JsonObject envelope = command.getJsonObject("publish").getJsonObject("data");
                Integer seq = envelope.getJsonObject("data").getInteger("seq");
                if (seq != null && !arrived.compareAndSet(seq, 0, now)) {
                    duplicates.incrementAndGet();
                }
            }
            replies.add(new JsonObject().put(method, new JsonObject()));
        }
        byte[] body = new JsonObject().put("replies", replies).encode().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Process startBridge(Path jar, MigratedDatabase db, int standInPort, int replica) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PgUrl app = db.as("realtime");
        // from its folder, with its class-data archive when it has one (BRIDGE_JAR may name another build's jar)
        ProcessBuilder pb = PackagedApp.process(jar.toAbsolutePath().getParent(), List.of(),
                PackagedApp.Archive.IF_PRESENT);
        Map<String, String> env = pb.environment();
        env.put("PORT", String.valueOf(port));
        env.put("DB_URL", app.reactiveUrl());
        env.put("DB_USER", app.user());
        env.put("DB_PASSWORD", app.password().orElse(""));
        String standIn = "http://127.0.0.1:" + standInPort;
        env.put("CENTRIFUGO_API_URL", standIn + "/api");
        env.put("AUTH_SERVER_URL", standIn);
        env.put("AUTH_JWKS_URL", standIn + "/sso/jwks/bench");
        env.put("AUTH_ISSUERS", standIn);
        env.put("CENTRIFUGO_API_KEY", "bench");
        env.put("CENTRIFUGO_PROXY_SECRET", "bench");
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        Path log = Path.of("bench/target/realtime-bridge-" + replica + ".log");
        Files.createDirectories(log.getParent());
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("realtime-bridge exited; see " + log);
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/q/health/ready")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    say("realtime-bridge ready on port " + port + " (log: " + log + ")");
                    return process;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        process.destroy();
        throw new IllegalStateException("realtime-bridge did not become ready; see " + log);
    }

    private static String setting(MigratedDatabase db, String name) throws Exception {
        try (var c = PostgresServer.connect(db.admin());
                var st = c.createStatement();
                var rs = st.executeQuery("SELECT current_setting('" + name + "')")) {
            rs.next();
            return name + "=" + rs.getString(1);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void say(String line) {
        System.err.println("[bench] " + line);
    }
}
