package dev.huddle.k8scheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * The migrations Job runs before the services roll out, both ways the README gives: with plain kubectl it and
 * everything it reads carry {@code huddle.dev/phase=pre-rollout} (applied first), and with Argo CD they sit in
 * earlier sync waves than the services.
 */
class RolloutOrderTest {

    static final String PHASE = "huddle.dev/phase";
    static final String WAVE = "argocd.argoproj.io/sync-wave";

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void theMigrationsJobAndWhatItReadsComeBeforeTheServices(String name) {
        Overlays.Rendered overlay = Overlays.rendered(name);
        Job job = overlay.get(Job.class, "migrations");
        List<HasMetadata> needed = new ArrayList<>();
        needed.add(overlay.get(ServiceAccount.class, job.getSpec().getTemplate().getSpec().getServiceAccountName()));
        List<Container> containers = new ArrayList<>(job.getSpec().getTemplate().getSpec().getContainers());
        containers.addAll(job.getSpec().getTemplate().getSpec().getInitContainers());
        for (Container c : containers) {
            for (EnvVar env : c.getEnv()) {
                if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                    needed.add(overlay.get(Secret.class, env.getValueFrom().getSecretKeyRef().getName()));
                }
            }
            for (EnvFromSource from : c.getEnvFrom()) {
                if (from.getConfigMapRef() != null) {
                    needed.add(overlay.get(ConfigMap.class, from.getConfigMapRef().getName()));
                }
            }
        }
        List<String> wrong = new ArrayList<>();
        int jobWave = wave(job);
        if (!"pre-rollout".equals(label(job))) {
            wrong.add("Job migrations is not labelled " + PHASE + "=pre-rollout");
        }
        for (HasMetadata o : needed) {
            if (!"pre-rollout".equals(label(o))) {
                wrong.add(o.getKind() + " " + o.getMetadata().getName() + " is not applied ahead (no " + PHASE + ")");
            }
            if (wave(o) >= jobWave) {
                wrong.add(o.getKind() + " " + o.getMetadata().getName() + " is in wave " + wave(o) + ", not before the Job's "
                        + jobWave);
            }
        }
        for (Deployment d : overlay.all(Deployment.class)) {
            if (wave(d) <= jobWave || "pre-rollout".equals(label(d))) {
                wrong.add("Deployment " + d.getMetadata().getName() + " may roll out before the migrations");
            }
        }
        assertEquals(List.of(), wrong, name);
    }

    private static String label(HasMetadata o) {
        Map<String, String> labels = o.getMetadata().getLabels();
        return labels == null ? null : labels.get(PHASE);
    }

    private static int wave(HasMetadata o) {
        Map<String, String> annotations = o.getMetadata().getAnnotations();
        return annotations == null || !annotations.containsKey(WAVE) ? 0 : Integer.parseInt(annotations.get(WAVE));
    }
}
