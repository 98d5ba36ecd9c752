package dev.huddle.realtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.ConfigProvider;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Test access to the stubbed Centrifugo: make it fail, and read the commands it received and accepted. */
public final class CentrifugoStub {

    private CentrifugoStub() {
    }

    /** A command Centrifugo received, and whether it answered it without an error. */
    public record Received(String method, JsonObject params, boolean accepted, Long errorCode) {

        public String channel() {
            return params.getString("channel");
        }

        public String idempotencyKey() {
            return params.getString("idempotency_key");
        }
    }

    public static WireMock client() {
        int port = ConfigProvider.getConfig().getValue(CentrifugoTestResource.PORT_PROPERTY, Integer.class);
        return new WireMock("127.0.0.1", port);
    }

    /** Every batch call is refused at the transport level (connection reset) until the stub is removed. */
    public static StubMapping refuseConnections() {
        return client().register(post(urlEqualTo("/api/batch")).atPriority(1)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    }

    /** Every batch call answers HTTP 503 until the stub is removed. */
    public static StubMapping unavailable() {
        return client().register(post(urlEqualTo("/api/batch")).atPriority(1)
                .willReturn(aResponse().withStatus(503).withBody("unavailable")));
    }

    /** Batch calls mentioning {@code channel} fail its publishes with {@code code}, {@code times} times. */
    public static StubMapping channelFails(String channel, int code, int times) {
        String scenario = "fail-" + channel;
        StubMapping last = null;
        for (int i = 0; i < times; i++) {
            MappingBuilder stub = post(urlEqualTo("/api/batch")).atPriority(2)
                    .withRequestBody(containing(channel))
                    .inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? "Started" : "failed-" + i)
                    .willSetStateTo("failed-" + (i + 1))
                    .willReturn(aResponse().withTransformers(CentrifugoApiStub.NAME)
                            .withTransformerParameter("channelErrors", Map.of(channel, code)));
            last = client().register(stub);
        }
        return last;
    }

    /** Publishes with idempotency key {@code key} always fail with {@code code}. */
    public static StubMapping keyFails(String key, int code) {
        return client().register(post(urlEqualTo("/api/batch")).atPriority(3)
                .withRequestBody(containing(key))
                .willReturn(aResponse().withTransformers(CentrifugoApiStub.NAME)
                        .withTransformerParameter("keyErrors", Map.of(key, code))));
    }

    /** Batch calls mentioning {@code text} are answered as usual, {@code delayMillis} late. */
    public static StubMapping slow(String text, int delayMillis) {
        return client().register(post(urlEqualTo("/api/batch")).atPriority(1)
                .withRequestBody(containing(text))
                .willReturn(aResponse().withTransformers(CentrifugoApiStub.NAME).withFixedDelay(delayMillis)));
    }

    /** A batch call: when it arrived (epoch millis) and the channels it published to. */
    public record Call(long at, Set<String> channels) {
    }

    /** The batch calls mentioning {@code text}, in arrival order. */
    public static List<Call> calls(String text) {
        List<Call> calls = new ArrayList<>();
        for (ServeEvent event : client().getServeEvents()) {
            String body = event.getRequest().getBodyAsString();
            if (!event.getRequest().getUrl().equals("/api/batch") || !body.contains(text)) {
                continue;
            }
            Set<String> channels = new HashSet<>();
            for (Object o : new JsonObject(body).getJsonArray("commands")) {
                JsonObject publish = ((JsonObject) o).getJsonObject("publish");
                if (publish != null) {
                    channels.add(publish.getString("channel"));
                }
            }
            calls.add(new Call(event.getRequest().getLoggedDate().getTime(), channels));
        }
        calls.sort((a, b) -> Long.compare(a.at(), b.at()));
        return calls;
    }

    public static void remove(StubMapping stub) {
        client().removeStubMapping(stub);
    }

    /** Every command received, oldest first, with whether Centrifugo accepted it. */
    public static List<Received> received() {
        List<ServeEvent> events = new ArrayList<>(client().getServeEvents());
        Collections.reverse(events);
        events.sort((a, b) -> a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate()));
        List<Received> received = new ArrayList<>();
        for (ServeEvent event : events) {
            if (!event.getRequest().getUrl().equals("/api/batch")) {
                continue;
            }
            JsonArray commands = new JsonObject(event.getRequest().getBodyAsString()).getJsonArray("commands");
            JsonArray replies = null;
            if (event.getResponse() != null && event.getResponse().getStatus() == 200) {
                try {
                    replies = new JsonObject(event.getResponse().getBodyAsString()).getJsonArray("replies");
                } catch (RuntimeException e) {
                    replies = null;
                }
            }
            for (int i = 0; i < commands.size(); i++) {
                JsonObject command = commands.getJsonObject(i);
                String method = command.fieldNames().iterator().next();
                JsonObject reply = replies == null ? null : replies.getJsonObject(i);
                JsonObject error = reply == null ? null : reply.getJsonObject("error");
                received.add(new Received(method, command.getJsonObject(method), reply != null && error == null,
                        error == null ? null : error.getLong("code")));
            }
        }
        return received;
    }

    /** Accepted publishes to {@code channel}, in the order Centrifugo received them. */
    public static List<Received> accepted(String channel) {
        return received().stream().filter(r -> r.method().equals("publish") && r.accepted()
                && channel.equals(r.channel())).toList();
    }
}
