package dev.huddle.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.huddle.testing.TokenMinter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The outside world of a bench run, on one loopback HTTP server: the token issuer's JWKS (where WorkOS serves it) for
 * the tokens {@link #token} mints, and a stand-in for Centrifugo's {@code POST /api/batch} that accepts every command.
 */
final class Issuer implements AutoCloseable {

    static final String CLIENT_ID = "client_bench";

    private final TokenMinter minter = TokenMinter.generate();
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final HttpServer server;

    Issuer() throws IOException {
        // Centrifugo (Go) answers with TCP_NODELAY; the JDK's server only when asked (see OutboxLatencyBench)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(threads);
        byte[] jwks = minter.jwksJson().getBytes(StandardCharsets.UTF_8);
        server.createContext("/sso/jwks/" + CLIENT_ID, exchange -> reply(exchange, jwks));
        server.createContext("/api/batch", Issuer::batch);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private String issuer() {
        return base() + "/user_management/" + CLIENT_ID;
    }

    /** The variables that make a service trust this issuer and publish to this stand-in. */
    Map<String, String> serviceEnvironment() {
        return Map.of("AUTH_SERVER_URL", base(), "AUTH_JWKS_URL", base() + "/sso/jwks/" + CLIENT_ID,
                "AUTH_ISSUERS", issuer(), "WORKOS_CLIENT_ID", CLIENT_ID, "CENTRIFUGO_API_URL", base() + "/api",
                "CENTRIFUGO_API_KEY", "bench-api-key", "CENTRIFUGO_TOKEN_HMAC_SECRET",
                "bench-centrifugo-hmac-secret-of-32-bytes-or-more");
    }

    /** An access token for WorkOS user {@code workosUserId}, valid for the run. */
    String token(String workosUserId) {
        return minter.mint(issuer(), workosUserId, Duration.ofHours(2));
    }

    private static void batch(HttpExchange exchange) throws IOException {
        JsonObject request;
        try (InputStream in = exchange.getRequestBody()) {
            request = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        JsonArray replies = new JsonArray();
        for (Object o : request.getJsonArray("commands", new JsonArray())) {
            replies.add(new JsonObject().put(((JsonObject) o).fieldNames().iterator().next(), new JsonObject()));
        }
        reply(exchange, new JsonObject().put("replies", replies).encode().getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange exchange, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
