package dev.huddle.realtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for Centrifugo's server API: a WireMock server answering {@code POST /api/batch} through
 * {@link CentrifugoApiStub}; tests add failures and read what was received through {@link CentrifugoStub}. Relay
 * intervals and backoff are shortened.
 */
public class CentrifugoTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String API_KEY = "test-centrifugo-api-key";
    public static final String TOKEN_SECRET = "test-centrifugo-token-hmac-secret-0123456789abcdef";
    static final String PORT_PROPERTY = "huddle.test.centrifugo.port";

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(20).extensions(new CentrifugoApiStub()));
        server.start();
        server.stubFor(post(urlEqualTo("/api/batch")).atPriority(10)
                .willReturn(aResponse().withTransformers(CentrifugoApiStub.NAME)));
        return Map.ofEntries(
                Map.entry("huddle.centrifugo.api-url", "http://127.0.0.1:" + server.port() + "/api"),
                Map.entry("huddle.centrifugo.api-key", API_KEY),
                Map.entry("huddle.centrifugo.token-hmac-secret", TOKEN_SECRET),
                Map.entry("huddle.realtime.relay.poll-interval", "200ms"),
                Map.entry("huddle.realtime.relay.batch-size", "50"),
                Map.entry("huddle.realtime.relay.backoff-base", "50ms"),
                Map.entry("huddle.realtime.relay.backoff-max", "400ms"),
                Map.entry("huddle.realtime.relay.http-timeout", "2s"),
                Map.entry("huddle.realtime.relay.metrics-interval", "500ms"),
                Map.entry(PORT_PROPERTY, String.valueOf(server.port())));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
