package dev.huddle.k8scheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;

/**
 * The restructure map's L1 and L2: what the overlay lets the services open fits what the database allows, and
 * prepared statements are cached exactly where no transaction pooler is in between.
 */
class ConnectionBudgetTest {

    record Budget(Map<String, Integer> services, int migrationJob, int pgCron, int reserve, int max) {

        int total() {
            return services.values().stream().mapToInt(Integer::intValue).sum() + migrationJob + pgCron + reserve;
        }

        boolean fits() {
            return total() <= max;
        }

        @Override
        public String toString() {
            return services + " + migrations Job " + migrationJob + " + pg_cron " + pgCron + " + reserve " + reserve
                    + " = " + total() + " of max_connections " + max;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void theServicesAtTheirLargestFitTheDatabasesConnections(String name) {
        Budget budget = budget(Overlays.rendered(name));
        assertTrue(budget.fits(), name + ": " + budget);
    }

    @Test
    void oneReplicaTooManyBreaksTheBudget() {
        Budget prod = budget(Overlays.rendered("prod"));
        Map<String, Integer> more = new LinkedHashMap<>(prod.services());
        int headroom = prod.max() - prod.total();
        more.merge("core-api", headroom + 1, Integer::sum);
        assertFalse(new Budget(more, prod.migrationJob(), prod.pgCron(), prod.reserve(), prod.max()).fits());
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void preparedStatementsAreCachedExactlyWhereNoTransactionPoolerIsInBetween(String name) {
        Overlays.Rendered overlay = Overlays.rendered(name);
        Map<String, String> limits = overlay.generated(ConfigMap.class, "connection-budget").getData();
        Set<Integer> poolerPorts = Arrays.stream(limits.get("TRANSACTION_POOLER_PORTS").split(","))
                .map(String::trim).map(Integer::valueOf).collect(Collectors.toSet());
        List<String> wrong = new ArrayList<>();
        for (String service : PublicRoutesTest.SERVICES) {
            Map<String, String> config = overlay.generated(ConfigMap.class, service).getData();
            int port = URI.create(config.get("DB_URL")).getPort();
            boolean pooled = poolerPorts.contains(port);
            if (!String.valueOf(!pooled).equals(config.get("DB_CACHE_PREPARED_STATEMENTS"))) {
                wrong.add(service + " on port " + port + ": DB_CACHE_PREPARED_STATEMENTS="
                        + config.get("DB_CACHE_PREPARED_STATEMENTS"));
            }
            if (!String.valueOf(pooled).equals(config.get("QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_USE_LAYER7_PROXY"))) {
                wrong.add(service + " on port " + port + ": use-layer7-proxy="
                        + config.get("QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_USE_LAYER7_PROXY"));
            }
            if (service.equals("realtime-bridge") && pooled) {
                wrong.add("realtime-bridge LISTENs: it cannot go through a transaction pooler (port " + port + ")");
            }
            for (String key : List.of("DB_USER", "DB_POOL_MAX_SIZE", "DB_POOL_IDLE_TIMEOUT", "DB_POOL_MAX_LIFETIME",
                    "DB_CONNECT_TIMEOUT", "DB_POOL_ACQUIRE_TIMEOUT")) {
                if (config.get(key) == null || config.get(key).isBlank()) {
                    wrong.add(service + ": no " + key);
                }
            }
        }
        Map<String, String> migrations = overlay.generated(ConfigMap.class, "migrations").getData();
        for (String schema : List.of("CORE", "BILLING", "REALTIME", "RECORDINGS")) {
            String timeout = migrations.get(schema + "_DB_STATEMENT_TIMEOUT");
            if (timeout == null || !timeout.matches("\\d+(ms|s|min)")) {
                wrong.add("migrations: " + schema + "_DB_STATEMENT_TIMEOUT=" + timeout);
            }
        }
        assertEquals(List.of(), wrong, name);
    }

    static Budget budget(Overlays.Rendered overlay) {
        Map<String, String> limits = overlay.generated(ConfigMap.class, "connection-budget").getData();
        Map<String, Integer> services = new LinkedHashMap<>();
        for (String service : PublicRoutesTest.SERVICES) {
            int replicas = overlay.get(HorizontalPodAutoscaler.class, service).getSpec().getMaxReplicas();
            int pool = Integer.parseInt(overlay.generated(ConfigMap.class, service).getData().get("DB_POOL_MAX_SIZE"));
            int listen = service.equals("realtime-bridge") ? Integer.parseInt(limits.get("LISTEN_CONNECTIONS")) : 0;
            services.put(service, replicas * (pool + listen));
        }
        return new Budget(services, Integer.parseInt(limits.get("MIGRATION_JOB_CONNECTIONS")),
                Integer.parseInt(limits.get("PG_CRON_CONNECTIONS")), Integer.parseInt(limits.get("RESERVED_CONNECTIONS")),
                Integer.parseInt(limits.get("MAX_CONNECTIONS")));
    }
}
