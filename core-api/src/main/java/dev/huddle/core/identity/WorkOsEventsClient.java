package dev.huddle.core.identity;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/**
 * WorkOS's Events API: {@code GET /events?events=a,b&after=<cursor>&limit=..&order=asc} with the secret API key as
 * bearer token. Non-blocking, on the Vert.x WebClient ({@link WorkOsHttp}).
 */
@ApplicationScoped
public class WorkOsEventsClient {

    /** The event types the sync reads, in the order WorkOS is asked for them. */
    public static final List<String> TYPES = List.of(
            "user.created", "user.updated", "user.deleted",
            "organization.created", "organization.updated", "organization.deleted",
            "organization_membership.created", "organization_membership.updated", "organization_membership.deleted");

    private final WorkOsHttp http;
    private final WorkOsSyncConfig sync;

    public WorkOsEventsClient(WorkOsHttp http, WorkOsSyncConfig sync) {
        this.http = http;
        this.sync = sync;
    }

    /** Whether the API key is set. */
    public boolean configured() {
        return http.configured();
    }

    /**
     * The next events after {@code after} (null: from the oldest WorkOS keeps), oldest first. A cursor WorkOS does
     * not know any more fails with a {@link WorkOsApiException} that is {@link WorkOsApiException#refused()}.
     */
    public Uni<List<WorkOsEvent>> events(String after, int limit) {
        var request = http.request(HttpMethod.GET, "/events", sync.timeout())
                .addQueryParam("events", String.join(",", TYPES))
                .addQueryParam("limit", Integer.toString(Math.max(1, Math.min(100, limit))))
                .addQueryParam("order", "asc");
        if (after != null) {
            request.addQueryParam("after", after);
        }
        return http.send(request, "GET /events").map(body -> events(body));
    }

    /** The newest event of the types the sync reads, or null when WorkOS keeps none. */
    public Uni<WorkOsEvent> latest() {
        var request = http.request(HttpMethod.GET, "/events", sync.timeout())
                .addQueryParam("events", String.join(",", TYPES))
                .addQueryParam("limit", "1")
                .addQueryParam("order", "desc");
        return http.send(request, "GET /events").map(body -> {
            List<WorkOsEvent> events = events(body);
            return events.isEmpty() ? null : events.get(0);
        });
    }

    private static List<WorkOsEvent> events(JsonObject body) {
        List<JsonObject> data = WorkOsHttp.page(body, "GET /events").data();
        List<WorkOsEvent> events = new ArrayList<>(data.size());
        for (JsonObject json : data) {
            events.add(WorkOsEvent.of(json));
        }
        return events;
    }
}
