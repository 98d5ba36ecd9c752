package dev.huddle.k8scheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/**
 * Every path of every service's committed contract ({@code <module>/openapi.yaml}) reaches that service and no
 * other through the overlay's routes (HTTPRoutes or the Ingress), the longest matching prefix winning as both APIs
 * specify; the in-cluster paths reach nothing.
 */
class PublicRoutesTest {

    static final List<String> SERVICES = List.of("core-api", "billing-service", "realtime-bridge", "recordings-service");

    /** Served, but never through the gateway: health, metrics and OpenAPI, and Centrifugo's subscribe proxy. */
    static final List<String> PRIVATE_PREFIXES = List.of("/q/", "/centrifugo/");

    record Route(String prefix, String service) {
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyContractPathReachesItsOwnServiceAndNoOther(String name) throws IOException {
        List<Route> routes = routes(Overlays.rendered(name));
        assertFalse(routes.isEmpty(), name + " routes nothing");
        List<String> wrong = new ArrayList<>();
        contractPaths().forEach((path, owner) -> {
            Optional<Route> route = match(routes, path);
            if (PRIVATE_PREFIXES.stream().anyMatch(path::startsWith)) {
                route.ifPresent(r -> wrong.add(path + " is in-cluster only but routed to " + r.service()));
            } else if (route.isEmpty()) {
                wrong.add(path + " (" + owner + ") is not routed");
            } else if (!route.get().service().equals(owner)) {
                wrong.add(path + " (" + owner + ") is routed to " + route.get().service() + " by "
                        + route.get().prefix());
            }
        });
        for (String internal : List.of("/q/health/ready", "/q/metrics", "/q/openapi", "/centrifugo/subscribe")) {
            match(routes, internal).ifPresent(r -> wrong.add(internal + " is routed to " + r.service()));
        }
        assertEquals(List.of(), wrong, name);
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyRouteServesAContractPathOfItsService(String name) throws IOException {
        Map<String, String> paths = contractPaths();
        List<String> idle = new ArrayList<>();
        for (Route route : routes(Overlays.rendered(name))) {
            if (route.service().equals("centrifugo")) {
                continue; // Centrifugo's client endpoint, /connection/...: not ours to contract
            }
            boolean used = paths.entrySet().stream()
                    .anyMatch(p -> p.getValue().equals(route.service()) && matches(route.prefix(), p.getKey()));
            if (!used) {
                idle.add(route.prefix() + " -> " + route.service());
            }
        }
        assertEquals(List.of(), idle, name + ": routes no contract path needs");
    }

    @Test
    void theLongestPrefixWinsElementByElement() {
        List<Route> routes = List.of(new Route("/v1", "core-api"), new Route("/v1/billing", "billing-service"));
        assertEquals("billing-service", match(routes, "/v1/billing/orgs/x/subscription").orElseThrow().service());
        assertEquals("core-api", match(routes, "/v1/billingx").orElseThrow().service());
        assertEquals(Optional.empty(), match(routes, "/v10/x"));
    }

    /** Contract path (parameters filled in) -> the service whose contract it is. */
    static Map<String, String> contractPaths() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Map<String, String> paths = new LinkedHashMap<>();
        for (String service : SERVICES) {
            JsonNode contract = yaml.readTree(Overlays.REPO.resolve(service).resolve("openapi.yaml").toFile());
            contract.path("paths").fieldNames().forEachRemaining(p -> paths.put(p.replaceAll("\\{[^}]+}", "x"),
                    service));
        }
        return paths;
    }

    static List<Route> routes(Overlays.Rendered overlay) {
        List<Route> routes = new ArrayList<>();
        for (HTTPRoute route : overlay.all(HTTPRoute.class)) {
            route.getSpec().getRules().forEach(rule -> rule.getMatches().forEach(m -> {
                if (!"PathPrefix".equals(m.getPath().getType())) {
                    throw new AssertionError("HTTPRoute " + route.getMetadata().getName() + " matches "
                            + m.getPath().getType() + ": only PathPrefix is checked here");
                }
                rule.getBackendRefs().forEach(b -> routes.add(new Route(m.getPath().getValue(), b.getName())));
            }));
        }
        for (Ingress ingress : overlay.all(Ingress.class)) {
            ingress.getSpec().getRules().forEach(rule -> rule.getHttp().getPaths().forEach(p -> {
                if (!"Prefix".equals(p.getPathType())) {
                    throw new AssertionError("Ingress path " + p.getPath() + " is " + p.getPathType());
                }
                routes.add(new Route(p.getPath(), p.getBackend().getService().getName()));
            }));
        }
        return routes;
    }

    static Optional<Route> match(List<Route> routes, String path) {
        return routes.stream().filter(r -> matches(r.prefix(), path))
                .max(Comparator.comparingInt(r -> trim(r.prefix()).length()));
    }

    /** PathPrefix and Ingress Prefix: by whole path elements, a trailing slash ignored. */
    static boolean matches(String prefix, String path) {
        String p = trim(prefix);
        return p.isEmpty() || path.equals(p) || path.startsWith(p + "/");
    }

    private static String trim(String prefix) {
        return prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }
}
