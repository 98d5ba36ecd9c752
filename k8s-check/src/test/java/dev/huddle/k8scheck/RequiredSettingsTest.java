package dev.huddle.k8scheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * Settings without which a service runs but refuses everything: every service checks bearer tokens against the
 * WorkOS client id (README, API conventions), so each one must be given a non-empty {@code WORKOS_CLIENT_ID}.
 */
class RequiredSettingsTest {

    private static final Set<String> SERVICES = Set.of("core-api", "billing-service", "realtime-bridge",
            "recordings-service");

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyServiceIsGivenTheWorkOsClientItChecksTokensAgainst(String name) {
        Overlays.Rendered overlay = Overlays.rendered(name);
        Map<String, Map<String, String>> configMaps = new HashMap<>();
        for (ConfigMap cm : overlay.all(ConfigMap.class)) {
            configMaps.put(cm.getMetadata().getName(), cm.getData() == null ? Map.of() : cm.getData());
        }
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Deployment d : overlay.all(Deployment.class)) {
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            if (!SERVICES.contains(c.getName())) {
                continue;
            }
            checked++;
            String value = null;
            for (EnvFromSource from : c.getEnvFrom() == null ? List.<EnvFromSource> of() : c.getEnvFrom()) {
                if (from.getConfigMapRef() != null) {
                    value = configMaps.getOrDefault(from.getConfigMapRef().getName(), Map.of())
                            .getOrDefault("WORKOS_CLIENT_ID", value);
                }
            }
            for (EnvVar env : c.getEnv() == null ? List.<EnvVar> of() : c.getEnv()) {
                if (env.getName().equals("WORKOS_CLIENT_ID")) {
                    value = env.getValue() != null ? env.getValue() : "(from " + env.getValueFrom() + ")";
                }
            }
            if (value == null || value.isBlank()) {
                missing.add(c.getName());
            }
        }
        assertEquals(SERVICES.size(), checked, "the four services' Deployments in " + name);
        assertEquals(List.of(), missing, name + ": services not given WORKOS_CLIENT_ID (every token would be refused)");
    }
}
