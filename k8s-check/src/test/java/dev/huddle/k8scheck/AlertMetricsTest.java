package dev.huddle.k8scheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;

/**
 * The alerts and the dashboard query metrics the code registers: the Micrometer names found in the services'
 * sources, as Prometheus renders them (dots to underscores, counters with {@code _total}, a seconds unit appended).
 */
class AlertMetricsTest {

    private static final Pattern METER = Pattern.compile(
            "(Counter|Gauge|Timer)\\.builder\\(\\s*\"([a-z0-9.]+)\"([^;]*);|\\.gauge\\(\\s*\"([a-z0-9.]+)\"",
            Pattern.DOTALL);
    private static final Pattern OURS = Pattern.compile("\\b((?:core|billing|realtime|recordings)_[a-z0-9_]+)");

    @Test
    void everyAlertAndPanelQueriesAMetricTheServicesEmit() throws IOException {
        Set<String> emitted = emitted();
        assertTrue(emitted.contains("realtime_outbox_oldest_age_seconds"), "emitted: " + emitted);
        Overlays.Rendered prod = Overlays.rendered("prod");
        List<String> queries = new ArrayList<>();
        prod.get(PrometheusRule.class, "huddle").getSpec().getGroups()
                .forEach(g -> g.getRules().forEach(r -> queries.add(r.getExpr().getStrVal())));
        JsonNode dashboard = new ObjectMapper().readTree(prod.get(ConfigMap.class, "huddle-grafana-dashboard")
                .getData().get("huddle-dashboard.json"));
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> queries.add(t.path("expr").asText())));
        List<String> unknown = new ArrayList<>();
        for (String query : queries) {
            Matcher m = OURS.matcher(query);
            boolean any = false;
            while (m.find()) {
                any = true;
                if (!emitted.contains(m.group(1))) {
                    unknown.add(m.group(1) + " in " + query);
                }
            }
            if (!any) {
                unknown.add("no metric of ours in " + query);
            }
        }
        assertEquals(List.of(), unknown, "emitted: " + emitted);
    }

    /** Prometheus names of the meters registered in the services' and the platform's main sources. */
    static Set<String> emitted() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String module : List.of("platform", "core-api", "billing-service", "realtime-bridge",
                "recordings-service")) {
            Path sources = Overlays.REPO.resolve(module).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                    Matcher m = METER.matcher(Files.readString(file));
                    while (m.find()) {
                        if (m.group(4) != null) {
                            names.add(m.group(4).replace('.', '_'));
                            continue;
                        }
                        String base = m.group(2).replace('.', '_');
                        String rest = m.group(3);
                        switch (m.group(1)) {
                            case "Counter" -> names.add(base + "_total");
                            case "Timer" -> {
                                for (String suffix : List.of("_bucket", "_count", "_sum", "_max")) {
                                    names.add(base + "_seconds" + suffix);
                                }
                            }
                            default -> names.add(rest.contains(".baseUnit(\"seconds\")") && !base.endsWith("_seconds")
                                    ? base + "_seconds"
                                    : base);
                        }
                    }
                }
            }
        }
        return names;
    }
}
