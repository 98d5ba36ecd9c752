package dev.huddle.core.identity;

import java.time.OffsetDateTime;

import dev.huddle.core.workos.WorkOsApiException;
import dev.huddle.core.workos.WorkOsWire;
import io.vertx.core.json.JsonObject;

/**
 * One event of WorkOS's Events API: {@code {object:"event", id:"event_...", event, data, created_at}}.
 *
 * @param id the event id, also the stream's cursor once applied
 * @param type {@code user.created}, {@code organization_membership.updated}, ...
 * @param data the object the event is about, as it was then
 * @param createdAt when WorkOS recorded it; null if it did not say
 * @param raw the whole event as received (kept for poison events)
 */
public record WorkOsEvent(String id, String type, JsonObject data, OffsetDateTime createdAt, JsonObject raw) {

    static WorkOsEvent of(WorkOsWire.Event event) {
        JsonObject data = event.data() == null ? new JsonObject() : new JsonObject(event.data());
        JsonObject raw = new JsonObject().put("object", "event").put("id", event.id()).put("event", event.event())
                .put("data", data).put("created_at", event.createdAt());
        if (event.id() == null || event.id().isBlank() || event.event() == null) {
            throw new WorkOsApiException("an event without id or type: " + raw.encode());
        }
        return new WorkOsEvent(event.id(), event.event(), data, WorkOsWire.timestamp(event.createdAt()), raw);
    }

    /** An event as recorded in {@code core.workos_poison_events.payload} (its {@link #raw()}). */
    static WorkOsEvent stored(JsonObject raw) {
        JsonObject data = raw.getValue("data") instanceof JsonObject d ? d : new JsonObject();
        return new WorkOsEvent(raw.getString("id"), raw.getString("event"), data,
                WorkOsWire.timestamp(raw.getString("created_at")), raw);
    }

    /**
     * An event a reconciliation makes from an object WorkOS lists (or no longer lists), so it is applied exactly as
     * the event would be. Its id ({@code reconcile:<object id>...}) names it in the poison table and tombstones; it
     * has no {@code created_at}: its data's {@code updated_at}, when there is one, judges staleness.
     */
    static WorkOsEvent synthetic(String id, String type, JsonObject data) {
        JsonObject raw = new JsonObject().put("object", "event").put("id", id).put("event", type).put("data", data)
                .put("created_at", null);
        return new WorkOsEvent(id, type, data, null, raw);
    }

    /** The data's {@code updated_at}, else the event's {@code created_at}: what stale data is judged by. */
    OffsetDateTime dataUpdatedAt() {
        OffsetDateTime updated = WorkOsWire.timestamp(data.getString("updated_at"));
        return updated != null ? updated : createdAt;
    }
}
