package dev.huddle.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.huddle.migrations.PgUrl;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The two load generators of a run: wrk against the service (replaying a file of requests with
 * {@code bench/wrk/replay.lua}) and pgbench against the database (a script at the same concurrency), each giving
 * throughput and a latency curve (milliseconds at percentiles).
 */
final class Load {

    static final Path PGBENCH = Path.of("/usr/lib/postgresql/15/bin/pgbench");
    static final double[] PERCENTILES = { 1, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100 };

    /** What one generator measured: rate per second, completed requests, failures, latency (ms) per percentile. */
    record Run(String label, double perSecond, long completed, long failed, double[][] curve) {

        double at(double percentile) {
            for (double[] point : curve) {
                if (point[0] == percentile) {
                    return point[1];
                }
            }
            throw new IllegalArgumentException("no percentile " + percentile);
        }

        JsonObject json() {
            JsonArray points = new JsonArray();
            for (double[] p : curve) {
                points.add(new JsonArray().add(p[0]).add(p[1]));
            }
            return new JsonObject().put("label", label).put("perSecond", perSecond).put("completed", completed)
                    .put("failed", failed).put("latencyMsAtPercentile", points);
        }
    }

    private Load() {
    }

    /** A request line of {@code bench/wrk/replay.lua}'s file. */
    static String request(String method, String path, String body, Map<String, String> headers) {
        StringBuilder line = new StringBuilder(method).append('\t').append(path).append('\t')
                .append(body == null ? "" : body);
        headers.forEach((name, value) -> line.append('\t').append(name).append(": ").append(value));
        return line.toString();
    }

    static Path requestsFile(String name, List<String> lines) throws IOException {
        Path file = Path.of("bench/target/wrk", name + ".tsv");
        Files.createDirectories(file.getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    /** wrk with 2 threads and {@code connections} connections for {@code seconds}, replaying {@code requests}. */
    static Run wrk(String label, String baseUrl, Path requests, int connections, int seconds)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/bin/wrk"))) {
            throw new IllegalStateException("wrk is missing: apt-get install -y wrk (bench/run does it)");
        }
        String out = exec(List.of("/usr/bin/wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--timeout", "10s",
                "-s", "bench/wrk/replay.lua", baseUrl, "--", requests.toString(), "2"), seconds + 120);
        int at = out.indexOf("WRK_JSON ");
        if (at < 0) {
            throw new IllegalStateException("wrk printed no figures:\n" + out);
        }
        JsonObject r = new JsonObject(out.substring(at + 9, out.indexOf('\n', at)).trim());
        JsonArray points = r.getJsonArray("percentiles");
        double[][] curve = new double[points.size()][];
        for (int i = 0; i < points.size(); i++) {
            curve[i] = new double[] { points.getJsonArray(i).getDouble(0), points.getJsonArray(i).getDouble(1) / 1000.0 };
        }
        long requestsDone = r.getLong("requests");
        long failed = r.getLong("status_errors") + r.getLong("connect_errors") + r.getLong("read_errors")
                + r.getLong("write_errors") + r.getLong("timeouts");
        double rate = requestsDone / (r.getLong("duration_us") / 1e6);
        return new Run(label, rate, requestsDone, failed, curve);
    }

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern FAILED = Pattern.compile("number of failed transactions: ([0-9]+)");

    /**
     * pgbench, prepared statements ({@code -M prepared}), {@code clients} clients on 2 threads for {@code seconds},
     * running {@code script} with the variables {@code vars}; latency per transaction from its log.
     */
    static Run pgbench(String label, PgUrl db, String script, Map<String, String> vars, int clients, int seconds)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(Path.of("bench/target").toAbsolutePath(), "pgbench");
        Path file = dir.resolve("script.sql");
        Files.writeString(file, script);
        List<String> command = new ArrayList<>(List.of(PGBENCH.toString(), "-n", "-M", "prepared", "-c",
                String.valueOf(clients), "-j", "2", "-T", String.valueOf(seconds), "-l", "--log-prefix",
                dir.resolve("log").toString(), "-f", file.toString()));
        vars.forEach((k, v) -> command.addAll(List.of("-D", k + "=" + v)));
        command.add(db.withCredentials());
        String out = exec(command, seconds + 120);
        Matcher tps = TPS.matcher(out);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench printed no tps:\n" + out);
        }
        Matcher failedMatch = FAILED.matcher(out);
        long failed = failedMatch.find() ? Long.parseLong(failedMatch.group(1)) : 0;
        // log lines: client_id transaction_no time(us) script_no time_epoch time_us
        List<Long> micros = new ArrayList<>();
        try (var logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("log")).toList()) {
                for (String line : Files.readAllLines(log)) {
                    String[] f = line.split(" ");
                    if (f.length >= 3 && !f[2].equals("failed") && !f[2].equals("skipped")) {
                        micros.add(Long.parseLong(f[2]));
                    }
                }
            }
        }
        long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
        deleteTree(dir);
        return new Run(label, Double.parseDouble(tps.group(1)), sorted.length, failed, curve(sorted, 1000.0));
    }

    /** Percentile curve of sorted samples, divided by {@code perMs} to give ms. */
    static double[][] curve(long[] sorted, double perMs) {
        double[][] curve = new double[PERCENTILES.length][];
        for (int i = 0; i < PERCENTILES.length; i++) {
            curve[i] = new double[] { PERCENTILES[i], percentile(sorted, PERCENTILES[i]) / perMs };
        }
        return curve;
    }

    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static String exec(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile(Path.of("bench/target").toAbsolutePath(), "exec", ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command.get(0) + " did not finish in " + timeoutSeconds + " s");
        }
        String text = Files.readString(out);
        Files.delete(out);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(3, command.size())))
                    + " failed (" + p.exitValue() + "):\n" + text);
        }
        return text;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
