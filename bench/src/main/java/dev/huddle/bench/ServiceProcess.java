package dev.huddle.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.huddle.migrations.PgUrl;
import dev.huddle.testing.PackagedApp;

/**
 * One packaged service ({@code <module>/target/quarkus-app/quarkus-run.jar}, JVM mode) as its own process, logging in
 * to the bench database as its {@code <schema>_app} role, trusting the bench's {@link Issuer}.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Pattern STARTED_IN = Pattern.compile("started in ([0-9.]+)s");

    final String module;
    final int port;
    final Path log;
    private final Process process;
    private final long spawnedNanos;
    private long readyNanos;

    private ServiceProcess(String module, int port, Path log, Process process, long spawnedNanos) {
        this.module = module;
        this.port = port;
        this.log = log;
        this.process = process;
        this.spawnedNanos = spawnedNanos;
    }

    /**
     * Starts {@code module} with {@code jvmOptions} and the environment the local stack gives it, plus {@code extraEnv},
     * as its image runs it: with its class-data archive, which must fit (a figure without it would mislead). Does not
     * wait for it to be ready.
     */
    static ServiceProcess start(String module, PgUrl app, Issuer issuer, Map<String, String> extraEnv,
            List<String> jvmOptions) throws IOException {
        return start(module, app, issuer, extraEnv, jvmOptions, PackagedApp.Archive.REQUIRED);
    }

    /** {@link #start(String, PgUrl, Issuer, Map, List)} with or without the class-data archive. */
    static ServiceProcess start(String module, PgUrl app, Issuer issuer, Map<String, String> extraEnv,
            List<String> jvmOptions, PackagedApp.Archive archive) throws IOException {
        Path folder = PackagedApp.folder(Path.of(""), module);
        if (!PackagedApp.exists(folder)) {
            throw new IllegalStateException(folder + " is missing: build it first (bench/run builds what is missing)");
        }
        int port = freePort();
        List<String> options = new ArrayList<>(jvmOptions);
        if ("1".equals(System.getenv("BENCH_JFR"))) {
            // a profile of the whole run, written when the service stops (jfr print / jfr summary read it)
            Path jfr = Path.of("bench/target/jfr", module + "-" + port + ".jfr").toAbsolutePath();
            Files.createDirectories(jfr.getParent());
            options.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + jfr);
        }
        Path log = Path.of("bench/target/logs", module + "-" + port + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = PackagedApp.process(folder, options, archive).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("PORT", String.valueOf(port));
        env.put("DB_URL", app.reactiveUrl());
        env.put("DB_USER", app.user());
        env.put("DB_PASSWORD", app.password().orElse(""));
        env.putAll(issuer.serviceEnvironment());
        env.put("CENTRIFUGO_PROXY_SECRET", "bench-proxy-secret");
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        env.putAll(extraEnv);
        long spawned = System.nanoTime();
        return new ServiceProcess(module, port, log, pb.start(), spawned);
    }

    /** Waits for {@code /q/health/ready} to answer 200, polling every 20 ms; answers this. */
    ServiceProcess awaitReady() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url("/q/health/ready"))).timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " exited; see " + log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    readyNanos = System.nanoTime();
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(module + " was not ready within 180 s; see " + log);
    }

    /** From spawning the JVM to the first 200 of the readiness check. */
    double msToReady() {
        return (readyNanos - spawnedNanos) / 1e6;
    }

    /** Quarkus's own "started in" figure from the log, in ms (NaN when the log has none). */
    double loggedStartMs() throws IOException {
        Matcher m = STARTED_IN.matcher(Files.readString(log));
        return m.find() ? Double.parseDouble(m.group(1)) * 1000 : Double.NaN;
    }

    /** Resident set size of the JVM, in MiB (VmRSS of /proc/<pid>/status). */
    double rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS for " + module);
    }

    /**
     * CPU time the JVM has used so far (user + system, all threads), in ms: per request it is a figure a busy machine
     * barely moves, unlike throughput.
     */
    double cpuMs() throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
        // the fields after the command name, which is in parentheses and may hold spaces: state is field 3
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks * 1000.0 / 100; // USER_HZ is 100 on Linux
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
