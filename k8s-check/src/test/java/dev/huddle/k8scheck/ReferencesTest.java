package dev.huddle.k8scheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

/** Everything one object names in another exists: Secret and ConfigMap keys, ports, probe paths, selectors. */
class ReferencesTest {

    /** What each container may probe: the Quarkus services' SmallRye Health endpoints, Centrifugo's /health. */
    static final Map<String, Set<String>> PROBE_PATHS = Map.of(
            "quarkus", Set.of("/q/health/live", "/q/health/ready", "/q/health/started"),
            "centrifugo", Set.of("/health"));

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everySecretAndConfigMapKeyAPodReadsExists(String name) {
        Overlays.Rendered overlay = Overlays.rendered(name);
        List<String> missing = new ArrayList<>();
        for (Workloads w : Workloads.of(overlay)) {
            for (Container c : w.containers()) {
                for (EnvVar env : c.getEnv() == null ? List.<EnvVar> of() : c.getEnv()) {
                    if (env.getValueFrom() == null) {
                        continue;
                    }
                    var s = env.getValueFrom().getSecretKeyRef();
                    if (s != null && !Boolean.TRUE.equals(s.getOptional())
                            && !secretKeys(overlay, s.getName()).contains(s.getKey())) {
                        missing.add(w.where() + "/" + c.getName() + " " + env.getName() + ": Secret " + s.getName()
                                + " key " + s.getKey());
                    }
                    var m = env.getValueFrom().getConfigMapKeyRef();
                    if (m != null && !Boolean.TRUE.equals(m.getOptional())
                            && !configMapKeys(overlay, m.getName()).contains(m.getKey())) {
                        missing.add(w.where() + "/" + c.getName() + " " + env.getName() + ": ConfigMap " + m.getName()
                                + " key " + m.getKey());
                    }
                }
                for (EnvFromSource from : c.getEnvFrom() == null ? List.<EnvFromSource> of() : c.getEnvFrom()) {
                    if (from.getConfigMapRef() != null && !Boolean.TRUE.equals(from.getConfigMapRef().getOptional())
                            && overlay.find(ConfigMap.class, from.getConfigMapRef().getName()).isEmpty()) {
                        missing.add(w.where() + ": ConfigMap " + from.getConfigMapRef().getName());
                    }
                    if (from.getSecretRef() != null && !Boolean.TRUE.equals(from.getSecretRef().getOptional())
                            && overlay.find(Secret.class, from.getSecretRef().getName()).isEmpty()) {
                        missing.add(w.where() + ": Secret " + from.getSecretRef().getName());
                    }
                }
            }
            for (Volume v : w.template().getSpec().getVolumes() == null ? List.<Volume> of()
                    : w.template().getSpec().getVolumes()) {
                if (v.getConfigMap() != null && !Boolean.TRUE.equals(v.getConfigMap().getOptional())
                        && overlay.find(ConfigMap.class, v.getConfigMap().getName()).isEmpty()) {
                    missing.add(w.where() + " volume " + v.getName() + ": ConfigMap " + v.getConfigMap().getName());
                }
                if (v.getSecret() != null && !Boolean.TRUE.equals(v.getSecret().getOptional())
                        && overlay.find(Secret.class, v.getSecret().getSecretName()).isEmpty()) {
                    missing.add(w.where() + " volume " + v.getName() + ": Secret " + v.getSecret().getSecretName());
                }
            }
            String account = w.template().getSpec().getServiceAccountName();
            if (account != null && overlay.find(ServiceAccount.class, account).isEmpty()) {
                missing.add(w.where() + ": ServiceAccount " + account);
            }
        }
        assertEquals(List.of(), missing, name + ": references to nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void probesHitADeclaredPortAndAPathTheAppServes(String name) {
        List<String> wrong = new ArrayList<>();
        for (Workloads w : Workloads.of(Overlays.rendered(name))) {
            for (Container c : w.containers()) {
                for (Probe p : new Probe[] { c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe() }) {
                    if (p == null || p.getHttpGet() == null) {
                        continue;
                    }
                    if (!hasPort(c, p.getHttpGet().getPort())) {
                        wrong.add(w.where() + "/" + c.getName() + ": probe port " + p.getHttpGet().getPort());
                    }
                    Set<String> served = PROBE_PATHS.get(c.getImage().contains("huddle/") ? "quarkus" : c.getName());
                    if (served == null || !served.contains(p.getHttpGet().getPath())) {
                        wrong.add(w.where() + "/" + c.getName() + ": probe path " + p.getHttpGet().getPath());
                    }
                }
            }
        }
        assertEquals(List.of(), wrong, name);
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void servicesSelectPodsThatListenOnTheirTargetPorts(String name) {
        Overlays.Rendered overlay = Overlays.rendered(name);
        List<String> wrong = new ArrayList<>();
        for (Service s : overlay.all(Service.class)) {
            List<Workloads> selected = Workloads.of(overlay).stream()
                    .filter(w -> w.owner() instanceof Deployment && w.selectedBy(s.getSpec().getSelector())).toList();
            if (selected.isEmpty()) {
                wrong.add("Service " + s.getMetadata().getName() + " selects no Deployment's pods");
            }
            for (ServicePort port : s.getSpec().getPorts()) {
                for (Workloads w : selected) {
                    if (w.containers().stream().noneMatch(c -> hasPort(c, port.getTargetPort()))) {
                        wrong.add("Service " + s.getMetadata().getName() + " port " + port.getName() + ": "
                                + w.where() + " has no port " + port.getTargetPort());
                    }
                }
            }
        }
        for (HorizontalPodAutoscaler h : overlay.all(HorizontalPodAutoscaler.class)) {
            if (overlay.find(Deployment.class, h.getSpec().getScaleTargetRef().getName()).isEmpty()) {
                wrong.add("HPA " + h.getMetadata().getName() + " scales nothing");
            }
        }
        for (PodDisruptionBudget b : overlay.all(PodDisruptionBudget.class)) {
            if (Workloads.of(overlay).stream().noneMatch(w -> w.selectedBy(b.getSpec().getSelector().getMatchLabels()))) {
                wrong.add("PDB " + b.getMetadata().getName() + " selects no pods");
            }
        }
        for (NetworkPolicy np : overlay.all(NetworkPolicy.class)) {
            List<Map<String, String>> selectors = new ArrayList<>();
            if (np.getSpec().getIngress() != null) {
                np.getSpec().getIngress().forEach(r -> r.getFrom().stream().filter(p -> p.getPodSelector() != null)
                        .filter(p -> p.getNamespaceSelector() == null)
                        .forEach(p -> selectors.add(p.getPodSelector().getMatchLabels())));
            }
            if (np.getSpec().getEgress() != null) {
                np.getSpec().getEgress().forEach(r -> r.getTo().stream().filter(p -> p.getPodSelector() != null)
                        .filter(p -> p.getNamespaceSelector() == null)
                        .forEach(p -> selectors.add(p.getPodSelector().getMatchLabels())));
            }
            Map<String, String> own = np.getSpec().getPodSelector().getMatchLabels();
            if (own != null && !own.isEmpty()) {
                selectors.add(own);
            }
            for (Map<String, String> selector : selectors) {
                if (Workloads.of(overlay).stream().noneMatch(w -> w.selectedBy(selector))) {
                    wrong.add("NetworkPolicy " + np.getMetadata().getName() + ": " + selector + " selects no pods");
                }
            }
        }
        assertEquals(List.of(), wrong, name);
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void routesAndMonitorsPointAtExistingServicePorts(String name) {
        Overlays.Rendered overlay = Overlays.rendered(name);
        List<String> wrong = new ArrayList<>();
        for (HTTPRoute route : overlay.all(HTTPRoute.class)) {
            route.getSpec().getParentRefs().forEach(parent -> {
                var gateway = overlay.find(Gateway.class, parent.getName());
                if (gateway.isEmpty() || gateway.get().getSpec().getListeners().stream()
                        .noneMatch(l -> l.getName().equals(parent.getSectionName()))) {
                    wrong.add("HTTPRoute " + route.getMetadata().getName() + ": no Gateway listener "
                            + parent.getName() + "/" + parent.getSectionName());
                }
            });
            route.getSpec().getRules().forEach(rule -> rule.getBackendRefs().forEach(b -> {
                if (!servicePort(overlay, b.getName(), b.getPort())) {
                    wrong.add("HTTPRoute " + route.getMetadata().getName() + ": no Service port " + b.getName() + ":"
                            + b.getPort());
                }
            }));
        }
        for (Ingress ingress : overlay.all(Ingress.class)) {
            ingress.getSpec().getRules().forEach(rule -> rule.getHttp().getPaths().forEach(p -> {
                var backend = p.getBackend().getService();
                if (!servicePort(overlay, backend.getName(), backend.getPort().getNumber())) {
                    wrong.add("Ingress " + ingress.getMetadata().getName() + ": no Service port " + backend.getName()
                            + ":" + backend.getPort().getNumber());
                }
            }));
        }
        for (ServiceMonitor monitor : overlay.all(ServiceMonitor.class)) {
            Map<String, String> selector = monitor.getSpec().getSelector().getMatchLabels();
            List<Service> services = overlay.all(Service.class).stream().filter(s -> s.getMetadata().getLabels() != null
                    && s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).toList();
            if (services.isEmpty()) {
                wrong.add("ServiceMonitor " + monitor.getMetadata().getName() + " selects no Service");
            }
            monitor.getSpec().getEndpoints().forEach(e -> services.forEach(s -> {
                if (s.getSpec().getPorts().stream().noneMatch(p -> Objects.equals(p.getName(), e.getPort()))) {
                    wrong.add("ServiceMonitor " + monitor.getMetadata().getName() + ": Service "
                            + s.getMetadata().getName() + " has no port named " + e.getPort());
                }
            }));
        }
        assertEquals(List.of(), wrong, name);
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void theSecretExamplesListExactlyTheKeysThePodsRead(String name) throws IOException {
        Overlays.Rendered overlay = Overlays.rendered(name);
        Path examples = Overlays.K8S.resolve("secrets.example");
        try (var files = Files.list(examples)) {
            for (Path example : (Iterable<Path>) files::iterator) {
                String secret = example.getFileName().toString().replace(".env", "");
                Set<String> listed = new TreeSet<>();
                for (String line : Files.readAllLines(example)) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        listed.add(line.substring(0, line.indexOf('=')));
                    }
                }
                assertEquals(listed, new TreeSet<>(secretKeys(overlay, secret)),
                        "k8s/secrets.example/" + example.getFileName() + " against " + name + "'s Secret " + secret);
                Set<String> read = new TreeSet<>();
                for (Workloads w : Workloads.of(overlay)) {
                    for (Container c : w.containers()) {
                        for (EnvVar env : c.getEnv() == null ? List.<EnvVar> of() : c.getEnv()) {
                            var ref = env.getValueFrom() == null ? null : env.getValueFrom().getSecretKeyRef();
                            if (ref != null && ref.getName().equals(overlay.generated(Secret.class, secret).getMetadata()
                                    .getName())) {
                                read.add(ref.getKey());
                            }
                        }
                    }
                }
                assertTrue(read.containsAll(listed), name + ": keys of " + secret + " no pod reads: " + listed + " vs "
                        + read);
            }
        }
    }

    private static Set<String> secretKeys(Overlays.Rendered overlay, String name) {
        return overlay.all(Secret.class).stream()
                .filter(s -> s.getMetadata().getName().equals(name)
                        || s.getMetadata().getName().matches(java.util.regex.Pattern.quote(name) + "-[a-z0-9]{10}"))
                .findFirst().map(s -> {
                    Set<String> keys = new TreeSet<>();
                    if (s.getData() != null) {
                        keys.addAll(s.getData().keySet());
                    }
                    if (s.getStringData() != null) {
                        keys.addAll(s.getStringData().keySet());
                    }
                    return keys;
                }).orElse(Set.of());
    }

    private static Set<String> configMapKeys(Overlays.Rendered overlay, String name) {
        return overlay.find(ConfigMap.class, name).map(cm -> cm.getData() == null ? Set.<String> of()
                : cm.getData()
                        .keySet())
                .orElse(Set.of());
    }

    private static boolean hasPort(Container c, IntOrString port) {
        List<ContainerPort> ports = c.getPorts() == null ? List.of() : c.getPorts();
        if (port.getStrVal() != null) {
            return ports.stream().anyMatch(p -> port.getStrVal().equals(p.getName()));
        }
        return ports.stream().anyMatch(p -> port.getIntVal().equals(p.getContainerPort()));
    }

    private static boolean servicePort(Overlays.Rendered overlay, String service, Integer port) {
        return overlay.find(Service.class, service)
                .map(s -> s.getSpec().getPorts().stream().anyMatch(p -> Objects.equals(p.getPort(), port)))
                .orElse(false);
    }
}
