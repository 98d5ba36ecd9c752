package dev.huddle.realtime.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.realtime.config.CentrifugoConfig;
import dev.huddle.realtime.config.RealtimeConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * Centrifugo's server HTTP API ({@code POST <api-url>/batch}, header {@code X-API-Key}). Errors come back as HTTP
 * 200 with {@code {"error": {code, message}}}, for the whole call or per reply of a batch; each is classified here.
 */
@ApplicationScoped
public class CentrifugoClient {

    /** Codes worth retrying: 100 internal, 108 not available, 111 too many requests. */
    static final Set<Long> RETRYABLE = Set.of(100L, 108L, 111L);

    private final CentrifugoConfig config;
    private final WebClient web;
    private final long timeoutMillis;

    public CentrifugoClient(Vertx vertx, CentrifugoConfig config, RealtimeConfig realtime) {
        this.config = config;
        this.timeoutMillis = realtime.relay().httpTimeout().toMillis();
        this.web = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .setIdleTimeout(60)
                .setKeepAlive(true));
    }

    @PreDestroy
    void close() {
        web.close();
    }

    /** Whether the server API can be called (URL and key set). */
    public boolean configured() {
        return config.apiUrl().filter(s -> !s.isBlank()).isPresent()
                && config.apiKey().filter(s -> !s.isBlank()).isPresent();
    }

    /** One command of a batch, e.g. {@code ("publish", {channel, data, idempotency_key})}. */
    public record Command(String method, JsonObject params) {

        JsonObject toJson() {
            return new JsonObject().put(method, params);
        }
    }

    /** The outcome of one command: ok, or an error that may be worth retrying. */
    public record Outcome(boolean ok, boolean retryable, String error) {

        static final Outcome OK = new Outcome(true, false, null);

        static Outcome transientFailure(String error) {
            return new Outcome(false, true, error);
        }

        static Outcome of(JsonObject error) {
            long code = error.getLong("code", 0L);
            String text = code + " " + error.getString("message", "");
            return new Outcome(false, RETRYABLE.contains(code), text);
        }
    }

    /**
     * Runs the commands in order ({@code parallel: false}) and answers one outcome per command. A failure of the
     * whole call (transport, non-2xx, top-level error, unreadable reply) answers a transient failure for each.
     */
    public Uni<List<Outcome>> batch(List<Command> commands) {
        JsonArray array = new JsonArray();
        commands.forEach(c -> array.add(c.toJson()));
        JsonObject body = new JsonObject().put("commands", array).put("parallel", false);
        String url = config.apiUrl().orElseThrow().replaceAll("/+$", "") + "/batch";
        return web.postAbs(url)
                .putHeader("X-API-Key", config.apiKey().orElseThrow())
                .putHeader("Content-Type", "application/json")
                .timeout(timeoutMillis)
                .sendJsonObject(body)
                .map(response -> {
                    if (response.statusCode() / 100 != 2) {
                        // 5xx and 429 are transient; 4xx means our configuration (URL, key) is wrong: never
                        // kill rows for that, keep them until it is fixed
                        return all(commands, Outcome.transientFailure("HTTP " + response.statusCode()));
                    }
                    JsonObject reply;
                    try {
                        reply = response.bodyAsJsonObject();
                    } catch (RuntimeException e) {
                        return all(commands, Outcome.transientFailure("unreadable reply"));
                    }
                    if (reply == null) {
                        return all(commands, Outcome.transientFailure("empty reply"));
                    }
                    if (reply.getJsonObject("error") != null) {
                        return all(commands, Outcome.of(reply.getJsonObject("error")));
                    }
                    JsonArray replies = reply.getJsonArray("replies");
                    if (replies == null || replies.size() != commands.size()) {
                        return all(commands, Outcome.transientFailure("unexpected number of replies"));
                    }
                    List<Outcome> outcomes = new ArrayList<>(commands.size());
                    for (int i = 0; i < replies.size(); i++) {
                        JsonObject r = replies.getJsonObject(i);
                        JsonObject error = r == null ? null : r.getJsonObject("error");
                        outcomes.add(error == null ? Outcome.OK : Outcome.of(error));
                    }
                    return outcomes;
                })
                .onFailure().recoverWithItem(e -> all(commands, Outcome.transientFailure(
                        e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()))));
    }

    private static List<Outcome> all(List<Command> commands, Outcome outcome) {
        List<Outcome> outcomes = new ArrayList<>(commands.size());
        commands.forEach(c -> outcomes.add(outcome));
        return outcomes;
    }
}
