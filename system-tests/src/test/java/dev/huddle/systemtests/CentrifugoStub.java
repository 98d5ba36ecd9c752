package dev.huddle.systemtests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * Stands in for Centrifugo's server API: {@code POST /api/batch} with the API key, one reply per command as
 * Centrifugo answers. Like Centrifugo, a publish whose {@code idempotency_key} it has already accepted is answered
 * with success and not published again; what it did publish is kept, in arrival order, for the tests to count, and
 * so are the {@code unsubscribe} commands it got.
 */
public final class CentrifugoStub implements AutoCloseable {

    public static final String API_KEY = "system-centrifugo-api-key";
    public static final String TOKEN_SECRET = "system-centrifugo-token-hmac-secret-0123456789abcdef";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WireMockServer server;
    private final List<Publication> published = new ArrayList<>();
    private final Set<String> keys = new HashSet<>();
    private final List<Unsubscribe> unsubscribed = new ArrayList<>();
    private int duplicates;
    private volatile boolean down;
    private int refused;

    CentrifugoStub() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(20)
                .extensions(new Batch()));
        server.start();
        server.stubFor(post(urlEqualTo("/api/batch")).withHeader("X-API-Key", equalTo(API_KEY))
                .willReturn(aResponse().withTransformers(Batch.NAME)));
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + server.port() + "/api";
    }

    /** What Centrifugo published to {@code channel}, in order. */
    public synchronized List<Publication> published(String channel) {
        return published.stream().filter(p -> p.channel().equals(channel)).toList();
    }

    /** The channels {@code user} was unsubscribed from ({@code unsubscribe} commands), in order. */
    public synchronized List<String> unsubscribed(String user) {
        return unsubscribed.stream().filter(u -> u.user().equals(user)).map(Unsubscribe::channel).toList();
    }

    private synchronized void unsubscribe(String user, String channel) {
        unsubscribed.add(new Unsubscribe(user, channel));
    }

    /** Publishes Centrifugo answered without publishing, having seen their idempotency key already. */
    public synchronized int duplicates() {
        return duplicates;
    }

    /** While down, every API call is answered 503 and nothing is published. */
    public void down(boolean down) {
        this.down = down;
    }

    /** API calls answered 503 while down. */
    public synchronized int refused() {
        return refused;
    }

    private synchronized boolean refuse() {
        if (down) {
            refused++;
        }
        return down;
    }

    private synchronized long accept(String channel, String key, JsonNode data) {
        if (key != null && !keys.add(key)) {
            duplicates++;
            return published.size();
        }
        published.add(new Publication(channel, key, data));
        return published.size();
    }

    @Override
    public void close() {
        server.stop();
    }

    /** One {@code unsubscribe} command: the user, and the channel they were removed from. */
    public record Unsubscribe(String user, String channel) {
    }

    /** One publication: its channel, idempotency key and data. */
    public record Publication(String channel, String idempotencyKey, JsonNode data) {

        public String type() {
            return data.path("type").asText();
        }

        /** The id in the event's data ({@code data.id}: a message's id). */
        public String dataId() {
            return data.path("data").path("id").asText();
        }
    }

    private final class Batch implements ResponseDefinitionTransformerV2 {
        static final String NAME = "centrifugo-batch";

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            if (refuse()) {
                return ResponseDefinitionBuilder.like(event.getResponseDefinition()).but().withStatus(503)
                        .withHeader("Content-Type", "text/plain").withBody("unavailable").build();
            }
            try {
                JsonNode request = JSON.readTree(event.getRequest().getBodyAsString());
                ArrayNode replies = JSON.createArrayNode();
                for (JsonNode command : request.path("commands")) {
                    JsonNode publish = command.get("publish");
                    ObjectNode reply = replies.addObject();
                    if (publish != null) {
                        long offset = accept(publish.path("channel").asText(),
                                publish.hasNonNull("idempotency_key") ? publish.get("idempotency_key").asText() : null,
                                publish.path("data"));
                        reply.putObject("publish").put("offset", offset).put("epoch", "system");
                    } else {
                        String method = command.fieldNames().next();
                        if (method.equals("unsubscribe")) {
                            unsubscribe(command.get(method).path("user").asText(),
                                    command.get(method).path("channel").asText());
                        }
                        reply.putObject(method);
                    }
                }
                ObjectNode body = JSON.createObjectNode();
                body.set("replies", replies);
                return ResponseDefinitionBuilder.like(event.getResponseDefinition()).but().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody(body.toString()).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }
}
