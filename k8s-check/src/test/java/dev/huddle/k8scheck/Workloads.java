package dev.huddle.k8scheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/** The pod templates of an overlay's Deployments and Jobs, with their owner for messages. */
record Workloads(HasMetadata owner, PodTemplateSpec template) {

    static List<Workloads> of(Overlays.Rendered overlay) {
        List<Workloads> all = new ArrayList<>();
        for (Deployment d : overlay.all(Deployment.class)) {
            all.add(new Workloads(d, d.getSpec().getTemplate()));
        }
        for (Job j : overlay.all(Job.class)) {
            all.add(new Workloads(j, j.getSpec().getTemplate()));
        }
        return all;
    }

    String where() {
        return owner.getKind() + " " + owner.getMetadata().getName();
    }

    List<Container> containers() {
        List<Container> all = new ArrayList<>(template.getSpec().getContainers());
        if (template.getSpec().getInitContainers() != null) {
            all.addAll(template.getSpec().getInitContainers());
        }
        return all;
    }

    Map<String, String> labels() {
        return template.getMetadata().getLabels() == null ? Map.of() : template.getMetadata().getLabels();
    }

    /** Whether a label selector (matchLabels only, as these manifests use) selects this pod template. */
    boolean selectedBy(Map<String, String> matchLabels) {
        return matchLabels != null && labels().entrySet().containsAll(matchLabels.entrySet());
    }
}
