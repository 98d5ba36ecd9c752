package dev.huddle.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A scenario's results: a table (what, figure, ratio to the database's ceiling, goal, met?) printed as Markdown, the
 * raw runs as JSON and their latency curves as an SVG chart: {@code bench/results/<scenario>.{md,json,svg}} hold the
 * latest run (what docs/BENCHMARKS.md shows), {@code bench/results/runs/} every run (not committed).
 */
final class Report {

    record Row(String what, String figure, String ratio, String goal, String met) {
    }

    private static final String[] COLOURS = { "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
            "#e377c2", "#17becf" };

    final String scenario;
    private final Instant started = Instant.now();
    private final String loadAtStart = loadAverage();
    private final List<Row> rows = new ArrayList<>();
    private final List<Load.Run> runs = new ArrayList<>();
    private final JsonObject extra = new JsonObject();

    Report(String scenario) {
        this.scenario = scenario;
    }

    /** A row with no goal. */
    void row(String what, String figure) {
        rows.add(new Row(what, figure, "", "", ""));
    }

    /** A row against a goal; {@code met} null when the row has no pass/fail. */
    void row(String what, String figure, String ratio, String goal, Boolean met) {
        rows.add(new Row(what, figure, ratio, goal, met == null ? "" : met ? "yes" : "**no**"));
    }

    /** A run whose curve goes on the chart and whose figures go into the JSON. */
    void run(Load.Run run) {
        runs.add(run);
    }

    JsonObject extra() {
        return extra;
    }

    void finish() throws IOException {
        StringBuilder table = new StringBuilder();
        table.append("\n### ").append(scenario).append(" (").append(DateTimeFormatter.ISO_INSTANT.format(started))
                .append(", load average at start ").append(loadAtStart).append(")\n\n");
        table.append("| what | figure | ratio to ceiling | goal | met? |\n|---|---:|---:|---|---|\n");
        for (Row r : rows) {
            table.append("| ").append(r.what()).append(" | ").append(r.figure()).append(" | ").append(r.ratio())
                    .append(" | ").append(r.goal()).append(" | ").append(r.met()).append(" |\n");
        }
        System.out.println(table);

        JsonObject json = new JsonObject().put("scenario", scenario).put("started", started.toString())
                .put("finished", Instant.now().toString()).put("machine", machine())
                .put("loadAverageAtStart", loadAtStart).put("extra", extra);
        JsonArray jsonRows = new JsonArray();
        for (Row r : rows) {
            jsonRows.add(new JsonObject().put("what", r.what()).put("figure", r.figure()).put("ratio", r.ratio())
                    .put("goal", r.goal()).put("met", r.met().replace("*", "")));
        }
        json.put("rows", jsonRows);
        JsonArray jsonRuns = new JsonArray();
        runs.forEach(run -> jsonRuns.add(run.json()));
        json.put("runs", jsonRuns);

        Path dir = Path.of("bench/results");
        Files.createDirectories(dir.resolve("runs"));
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
        Files.writeString(dir.resolve(scenario + ".json"), json.encodePrettily() + "\n");
        Files.writeString(dir.resolve(scenario + ".md"), table.toString().stripLeading());
        Files.writeString(dir.resolve("runs").resolve(scenario + "-" + stamp + ".json"), json.encodePrettily() + "\n");
        Files.writeString(dir.resolve("runs").resolve(scenario + "-" + stamp + ".md"), table);
        if (!runs.isEmpty()) {
            Files.writeString(dir.resolve(scenario + ".svg"), svg());
        }
    }

    /**
     * Latency (ms, log scale) by percentile, the percentile axis spread by nines (-log10(1 - p)) as HdrHistogram
     * plots it, up to 99.99 %.
     */
    String svg() {
        int width = 820;
        int height = 420;
        int left = 60;
        int right = 260;
        int top = 40;
        int bottom = 50;
        double maxNines = 4;
        double maxMs = 0;
        double minMs = Double.MAX_VALUE;
        for (Load.Run run : runs) {
            for (double[] p : run.curve()) {
                if (p[0] <= 99.99) {
                    maxMs = Math.max(maxMs, p[1]);
                    minMs = Math.min(minMs, p[1]);
                }
            }
        }
        // log scale, whole decades: the database's fraction of a millisecond and the service's tens of ms both show
        double lowExp = Math.floor(Math.log10(Math.max(minMs, 0.01)));
        double highExp = Math.max(lowExp + 1, Math.ceil(Math.log10(Math.max(maxMs, 0.01))));
        double plotW = width - left - right;
        double plotH = height - top - bottom;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                width, height));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\">%s: latency by percentile</text>%n",
                left, scenario));
        for (int i = 0; i <= 4; i++) {
            double x = left + plotW * i / maxNines;
            String label = i == 0 ? "0%" : i == 1 ? "90%" : i == 2 ? "99%" : i == 3 ? "99.9%" : "99.99%";
            s.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n",
                    x, top, x, top + plotH, x, top + plotH + 18, label));
        }
        for (double e = lowExp; e <= highExp; e++) {
            double y = top + plotH - plotH * (e - lowExp) / (highExp - lowExp);
            s.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    left, y, left + plotW, y, left - 6, y + 4, trim(Math.pow(10, e))));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n",
                left + plotW / 2, height - 10));
        s.append(String.format(Locale.ROOT,
                "<text x=\"16\" y=\"%.1f\" transform=\"rotate(-90 16 %.1f)\" text-anchor=\"middle\">latency (ms, log scale)</text>%n",
                top + plotH / 2, top + plotH / 2));
        for (int r = 0; r < runs.size(); r++) {
            Load.Run run = runs.get(r);
            String colour = COLOURS[r % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (double[] p : run.curve()) {
                if (p[0] > 99.99) {
                    continue;
                }
                double nines = Math.min(maxNines, -Math.log10(1 - p[0] / 100.0));
                double exp = Math.log10(Math.max(p[1], Math.pow(10, lowExp)));
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + plotW * nines / maxNines,
                        top + plotH - plotH * (exp - lowExp) / (highExp - lowExp)));
            }
            s.append(String.format(Locale.ROOT,
                    "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n", colour,
                    points.toString().trim()));
            double ly = top + 10 + r * 34;
            s.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\">%s</text>"
                            + "<text x=\"%.1f\" y=\"%.1f\" fill=\"#555\">%,.0f/s, p99 %s ms</text>%n",
                    left + plotW + 14, ly - 10, colour, left + plotW + 32, ly, escape(run.label()), left + plotW + 32,
                    ly + 14, run.perSecond(), trim(run.at(99))));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    static String trim(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static JsonObject machine() {
        JsonObject m = new JsonObject().put("cpus", Runtime.getRuntime().availableProcessors())
                .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"))
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    m.put("cpu", line.substring(line.indexOf(':') + 1).trim());
                    break;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal")) {
                    m.put("memory", line.substring(line.indexOf(':') + 1).trim());
                    break;
                }
            }
        } catch (IOException e) {
            // machine details are informative only
        }
        m.put("jvmArguments", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        return m;
    }
}
