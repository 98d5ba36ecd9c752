package dev.huddle.core.identity;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for WorkOS's API (the Events API, the list endpoints, membership deactivate/reactivate): a WireMock
 * server at {@code huddle.workos.api-base}, with a test API key. The scheduled sync is off: tests run it themselves;
 * the circuit breaker opens only after a long run of failures.
 * The first run with no cursor reads events rather than reconciling (tests start from no cursor); reconciliation
 * tests store a stale cursor first.
 */
public class WorkOsTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String API_KEY = "sk_test_workos_sync";
    /** The WorkOS user id allowed on {@code /v1/ops}. */
    public static final String OPERATOR = "user_01OPERATOR";

    private static WireMockServer server;

    public static WireMockServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return Map.of(
                "huddle.workos.api-key", API_KEY,
                "huddle.workos.api-base", "http://127.0.0.1:" + server.port(),
                "huddle.workos-sync.enabled", "false",
                "huddle.workos-sync.timeout", "3s",
                "huddle.workos-sync.initial-reconciliation", "false",
                "huddle.memberships.workos-timeout", "3s",
                // the tests of WorkOS failing must not open the breaker for the tests after them; its own test
                // (WorkOsCircuitBreakerTest) runs with a profile that opens it soon
                "huddle.workos.circuit-breaker.request-volume", "1000",
                "huddle.ops.operators", OPERATOR);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }
}
