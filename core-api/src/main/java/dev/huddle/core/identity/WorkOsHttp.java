package dev.huddle.core.identity;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.core.config.WorkOsConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * The HTTP side of WorkOS's API, shared by its clients: the secret key as bearer token, WorkOS's error answers
 * ({@code {message, code?}} with an HTTP status, {@code Retry-After} on 429) turned into {@link WorkOsApiException},
 * and its list shape ({@code {object:"list", data:[...], list_metadata:{before, after}}}). Non-blocking, on the
 * Vert.x WebClient; it never retries by itself (the callers decide).
 */
@ApplicationScoped
public class WorkOsHttp {

    /** A page of a WorkOS list: the items, and the cursor of the next page (null on the last). */
    public record Page(List<JsonObject> data, String after) {
    }

    private final WorkOsConfig config;
    private final WebClient web;

    public WorkOsHttp(Vertx vertx, WorkOsConfig config) {
        this.config = config;
        this.web = WebClient.create(vertx);
    }

    @PreDestroy
    void close() {
        web.close();
    }

    /** Whether the API key is set. */
    public boolean configured() {
        return config.apiKey().filter(key -> !key.isBlank()).isPresent();
    }

    HttpRequest<Buffer> request(HttpMethod method, String path, Duration timeout) {
        return web.requestAbs(method, baseUrl() + path)
                .putHeader("Authorization", "Bearer " + config.apiKey().orElseThrow())
                .putHeader("Accept", "application/json")
                .timeout(timeout.toMillis());
    }

    /** Sends the request; a 2xx JSON object comes back, anything else fails with {@link WorkOsApiException}. */
    Uni<JsonObject> send(HttpRequest<Buffer> request, String what) {
        return answer(request.send(), what).map(response -> body(response, what));
    }

    /** Sends the request with a JSON body; a 2xx JSON object comes back, anything else fails. */
    Uni<JsonObject> send(HttpRequest<Buffer> request, JsonObject json, String what) {
        return answer(request.sendJsonObject(json), what).map(response -> body(response, what));
    }

    /** Sends a request WorkOS answers without a body (204, as a delete does); any 2xx is done, anything else fails. */
    Uni<Void> sendForNoContent(HttpRequest<Buffer> request, String what) {
        return answer(request.send(), what).invoke(response -> {
            if (response.statusCode() < 200 || response.statusCode() >= 300) {
                throw error(response, json(response), what);
            }
        }).replaceWithVoid();
    }

    private static Uni<HttpResponse<Buffer>> answer(Uni<HttpResponse<Buffer>> sent, String what) {
        return sent.onFailure(e -> !(e instanceof WorkOsApiException))
                .transform(e -> new WorkOsApiException(what + " failed: " + e, e));
    }

    private static JsonObject body(HttpResponse<Buffer> response, String what) {
        int status = response.statusCode();
        JsonObject body = json(response);
        if (status < 200 || status >= 300) {
            throw error(response, body, what);
        }
        if (body == null) {
            throw new WorkOsApiException(what + " answered " + status + " with a body that is not a JSON object");
        }
        return body;
    }

    private static JsonObject json(HttpResponse<Buffer> response) {
        try {
            return response.body() == null || response.body().length() == 0 ? null : response.bodyAsJsonObject();
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    private static WorkOsApiException error(HttpResponse<Buffer> response, JsonObject body, String what) {
        int status = response.statusCode();
        String code = body == null ? null : stringOrNull(body.getValue("code"));
        String message = body == null ? null : stringOrNull(body.getValue("message"));
        return new WorkOsApiException(what + " answered " + status + (code == null ? "" : " " + code)
                + (message == null ? "" : ": " + message), status, code,
                retryAt(response.getHeader("Retry-After"), Instant.now()), null);
    }

    /** The items and next cursor of a list answer; fails when it is not a list. */
    static Page page(JsonObject body, String what) {
        JsonArray data = body.getValue("data") instanceof JsonArray array ? array : null;
        if (data == null) {
            throw new WorkOsApiException(what + " answered a body without a data list");
        }
        List<JsonObject> items = new ArrayList<>(data.size());
        for (Object item : data) {
            if (!(item instanceof JsonObject json)) {
                throw new WorkOsApiException(what + " answered a list with something that is not an object");
            }
            items.add(json);
        }
        JsonObject meta = body.getValue("list_metadata") instanceof JsonObject m ? m : new JsonObject();
        String after = stringOrNull(meta.getValue("after"));
        return new Page(items, after == null || after.isBlank() ? null : after);
    }

    /**
     * When a {@code Retry-After} header received at {@code now} says to try again (RFC 9110: delay-seconds, or an
     * HTTP-date); null when absent or unreadable.
     */
    public static Instant retryAt(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        if (value.chars().allMatch(Character::isDigit)) {
            // more than a year is not a wait anyone means (and would overflow); callers cap it anyway
            return value.length() > 8 ? now.plus(Duration.ofDays(366)) : now.plusSeconds(Long.parseLong(value));
        }
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String stringOrNull(Object value) {
        return value instanceof String s ? s : null;
    }

    private String baseUrl() {
        String url = config.apiBase().strip();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
