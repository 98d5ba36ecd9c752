package dev.huddle.k8scheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;

class ManifestModelTest {

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyObjectOfTheOverlayLoadsIntoTheModelWithNoUnknownField(String overlay) {
        Overlays.Rendered rendered = Overlays.rendered(overlay);
        Set<String> deployments = rendered.all(Deployment.class).stream().map(d -> d.getMetadata().getName())
                .collect(Collectors.toSet());
        assertTrue(deployments.containsAll(Set.of("core-api", "billing-service", "realtime-bridge",
                "recordings-service", "centrifugo")), overlay + " deploys " + deployments);
        assertFalse(rendered.all(Service.class).isEmpty());
    }

    @Test
    void aMisspelledFieldFailsTheLoad() {
        String misspelled = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: x
                spec:
                  replicsa: 2
                  selector: {matchLabels: {a: b}}
                  template: {metadata: {labels: {a: b}}, spec: {containers: [{name: x, image: x}]}}
                """;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrictModel.load(misspelled));
        assertTrue(e.getMessage().contains("replicsa"), e.getMessage());
    }

    @Test
    void aFieldAtTheWrongLevelFailsTheLoad() {
        String nested = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata:
                  name: x
                spec:
                  rules:
                    - matches:
                        - path: {type: PathPrefix, value: /v1}
                          backendRefs: [{name: core-api, port: 8080}]
                """;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrictModel.load(nested));
        assertTrue(e.getMessage().contains("backendRefs"), e.getMessage());
    }

    @Test
    void aKindTheseManifestsDoNotUseFailsTheLoad() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StrictModel.load("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n"));
        assertTrue(e.getMessage().contains("v1/Pod"), e.getMessage());
    }

    @Test
    void centrifugoRunsTheRepositorysConfiguration() throws IOException {
        assertEquals(Files.readString(Overlays.REPO.resolve("deploy/centrifugo/config.json")),
                Files.readString(Overlays.K8S.resolve("base/centrifugo/config.json")),
                "k8s/base/centrifugo/config.json must be a copy of deploy/centrifugo/config.json");
    }
}
