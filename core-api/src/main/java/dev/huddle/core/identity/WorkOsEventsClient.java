package dev.huddle.core.identity;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.core.config.WorkOsConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * WorkOS's Events API: {@code GET /events?events=a,b&after=<cursor>&limit=..&order=asc} with the secret API key as
 * bearer token. Non-blocking, on the Vert.x WebClient.
 */
@ApplicationScoped
public class WorkOsEventsClient {

    /** The event types the sync reads, in the order WorkOS is asked for them. */
    public static final List<String> TYPES = List.of(
            "user.created", "user.updated", "user.deleted",
            "organization.created", "organization.updated", "organization.deleted",
            "organization_membership.created", "organization_membership.updated", "organization_membership.deleted");

    /**
     * WorkOS could not be read: a 429, a 5xx, a timeout, a refused connection, or an answer that is not an event
     * list. The run stops and the next one backs off.
     */
    public static class WorkOsApiException extends RuntimeException {

        public WorkOsApiException(String message) {
            super(message, null, false, false);
        }

        public WorkOsApiException(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private final WorkOsConfig config;
    private final WorkOsSyncConfig sync;
    private final WebClient web;

    public WorkOsEventsClient(Vertx vertx, WorkOsConfig config, WorkOsSyncConfig sync) {
        this.config = config;
        this.sync = sync;
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

    /** The next events after {@code after} (null: from the oldest WorkOS keeps), oldest first. */
    public Uni<List<WorkOsEvent>> events(String after, int limit) {
        var request = web.getAbs(baseUrl() + "/events")
                .addQueryParam("events", String.join(",", TYPES))
                .addQueryParam("limit", Integer.toString(Math.max(1, Math.min(100, limit))))
                .addQueryParam("order", "asc")
                .putHeader("Authorization", "Bearer " + config.apiKey().orElseThrow())
                .putHeader("Accept", "application/json")
                .timeout(sync.timeout().toMillis());
        if (after != null) {
            request.addQueryParam("after", after);
        }
        return request.send()
                .onFailure(e -> !(e instanceof WorkOsApiException))
                .transform(e -> new WorkOsApiException("GET /events failed: " + e, e))
                .map(WorkOsEventsClient::page);
    }

    private static List<WorkOsEvent> page(HttpResponse<Buffer> response) {
        if (response.statusCode() != 200) {
            throw new WorkOsApiException("GET /events answered " + response.statusCode());
        }
        JsonArray data;
        try {
            JsonObject body = response.bodyAsJsonObject();
            data = body == null ? null : body.getJsonArray("data");
        } catch (DecodeException | ClassCastException e) {
            throw new WorkOsApiException("GET /events answered 200 with a body that is not a list");
        }
        if (data == null) {
            throw new WorkOsApiException("GET /events answered 200 without data");
        }
        List<WorkOsEvent> events = new ArrayList<>(data.size());
        for (Object item : data) {
            if (!(item instanceof JsonObject json)) {
                throw new WorkOsApiException("GET /events answered a list with something that is not an event");
            }
            events.add(WorkOsEvent.of(json));
        }
        return events;
    }

    private String baseUrl() {
        String url = config.apiBase().strip();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
