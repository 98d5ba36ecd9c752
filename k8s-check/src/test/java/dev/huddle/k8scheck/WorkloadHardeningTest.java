package dev.huddle.k8scheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** Every pod: non-root, read-only, no escalation, no capabilities, bounded; the JVM's heap fits its limit. */
class WorkloadHardeningTest {

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyContainerIsLockedDownAndBounded(String name) {
        List<String> wrong = new ArrayList<>();
        for (Workloads w : Workloads.of(Overlays.rendered(name))) {
            PodSecurityContext pod = w.template().getSpec().getSecurityContext();
            if (!Boolean.FALSE.equals(w.template().getSpec().getAutomountServiceAccountToken())) {
                wrong.add(w.where() + ": mounts a service account token");
            }
            if (pod == null || pod.getSeccompProfile() == null
                    || !"RuntimeDefault".equals(pod.getSeccompProfile().getType())) {
                wrong.add(w.where() + ": no RuntimeDefault seccomp profile");
            }
            for (Container c : w.containers()) {
                String where = w.where() + "/" + c.getName();
                SecurityContext sc = c.getSecurityContext();
                boolean nonRoot = sc != null && Boolean.TRUE.equals(sc.getRunAsNonRoot())
                        || pod != null && Boolean.TRUE.equals(pod.getRunAsNonRoot());
                if (!nonRoot) {
                    wrong.add(where + ": may run as root");
                }
                if (sc == null || !Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
                    wrong.add(where + ": writable root filesystem");
                }
                if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                    wrong.add(where + ": privilege escalation allowed");
                }
                if (sc == null || sc.getCapabilities() == null || sc.getCapabilities().getDrop() == null
                        || !sc.getCapabilities().getDrop().contains("ALL")) {
                    wrong.add(where + ": capabilities not dropped");
                }
                var resources = c.getResources();
                for (String resource : List.of("cpu", "memory")) {
                    if (resources == null || resources.getRequests() == null
                            || !resources.getRequests().containsKey(resource) || resources.getLimits() == null
                            || !resources.getLimits().containsKey(resource)) {
                        wrong.add(where + ": no " + resource + " request and limit");
                    }
                }
                if (c.getImage().contains("huddle/")) {
                    checkJvm(where, c, wrong);
                }
                if (w.owner() instanceof Deployment && c.getReadinessProbe() == null) {
                    wrong.add(where + ": no readiness probe");
                }
                if (w.owner() instanceof Deployment && "huddle".equals(w.labels().get("app.kubernetes.io/part-of"))
                        && (c.getLivenessProbe() == null || c.getStartupProbe() == null)) {
                    wrong.add(where + ": needs liveness and startup probes");
                }
            }
        }
        for (ServiceAccount sa : Overlays.rendered(name).all(ServiceAccount.class)) {
            if (!Boolean.FALSE.equals(sa.getAutomountServiceAccountToken())) {
                wrong.add("ServiceAccount " + sa.getMetadata().getName() + " hands out a token");
            }
        }
        assertEquals(List.of(), wrong, name);
    }

    /** The images run Java through run-java.sh: the heap is JAVA_MAX_MEM_RATIO % of the container's limit. */
    private static void checkJvm(String where, Container c, List<String> wrong) {
        String ratio = c.getEnv().stream().filter(e -> e.getName().equals("JAVA_MAX_MEM_RATIO")).map(EnvVar::getValue)
                .findFirst().orElse(null);
        if (ratio == null || Integer.parseInt(ratio) > 75) {
            wrong.add(where + ": JAVA_MAX_MEM_RATIO " + ratio + " (at most 75: metaspace, threads, direct buffers)");
        }
        Quantity limit = c.getResources() == null || c.getResources().getLimits() == null ? null
                : c.getResources().getLimits().get("memory");
        if (limit == null || Quantity.getAmountInBytes(limit).longValue() < 256L * 1024 * 1024) {
            wrong.add(where + ": memory limit " + limit + " (a JVM service needs 256Mi or more)");
        }
        // the manifest's JAVA_OPTS_APPEND replaces the image's: it must keep every option the image sets (the class-data
        // archive the image writes among them)
        String options = c.getEnv().stream().filter(e -> e.getName().equals("JAVA_OPTS_APPEND")).map(EnvVar::getValue)
                .findFirst().orElse("");
        for (String option : imageJavaOptions(c.getImage())) {
            if (!List.of(options.split("\\s+")).contains(option)) {
                wrong.add(where + ": JAVA_OPTS_APPEND drops the image's " + option);
            }
        }
    }

    /** The options of {@code ENV JAVA_OPTS_APPEND} in the Dockerfile.jvm of {@code huddle/<module>}. */
    static List<String> imageJavaOptions(String image) {
        String module = image.substring(image.indexOf("huddle/") + "huddle/".length()).split(":")[0];
        Path dockerfile = Path.of("..", module, "src/main/docker/Dockerfile.jvm");
        try {
            String text = Files.readString(dockerfile);
            Matcher m = Pattern.compile("(?m)^ENV JAVA_OPTS_APPEND=\"([^\"]*)\"").matcher(text);
            if (!m.find()) {
                throw new AssertionError(dockerfile + " sets no JAVA_OPTS_APPEND");
            }
            List<String> options = List.of(m.group(1).trim().split("\\s+"));
            // an archive the image writes is one its JVM is told to use
            Matcher archive = Pattern.compile("-XX:ArchiveClassesAtExit=(\\S+)").matcher(text);
            if (archive.find() && !options.contains("-XX:SharedArchiveFile=" + archive.group(1))) {
                throw new AssertionError(dockerfile + " writes " + archive.group(1) + " but its JVM does not use it");
            }
            return options;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
