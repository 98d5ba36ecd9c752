package dev.huddle.platform.outbox;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Announces a change to realtime clients: appends an event to {@code realtime.outbox} on the connection of the
 * transaction that makes the change, so the event exists if and only if the change commits. realtime-bridge
 * relays it to Centrifugo. The payload is a versioned envelope:
 *
 * <pre>
 * {"type": "message.created", "version": 1, "id": "&lt;uuid&gt;", "occurredAt": "...", "data": {...}}
 * </pre>
 *
 * The envelope id is also the idempotency key Centrifugo dedups on.
 */
@ApplicationScoped
public class OutboxWriter {

    /** The NOTIFY channel realtime-bridge listens on; the payload is empty (the rows are the truth). */
    public static final String NOTIFY_CHANNEL = "realtime_outbox";
    public static final int VERSION = 1;

    private static final String INSERT = """
            INSERT INTO realtime.outbox (channel, payload, idempotency_key) VALUES ($1, $2, $3)""";
    private static final String NOTIFY = "SELECT pg_notify('" + NOTIFY_CHANNEL + "', '')";

    /**
     * @param tx the connection of the transaction making the change
     * @param channel one of {@link Channels}
     * @param type what happened, {@code <noun>.<past verb>} ({@code member.added}, {@code room.deleted})
     * @param data the event's data; anything Jackson serializes
     */
    public Uni<Void> append(SqlConnection tx, String channel, String type, Object data) {
        UUID id = UUID.randomUUID();
        JsonObject envelope = new JsonObject()
                .put("type", type)
                .put("version", VERSION)
                .put("id", id.toString())
                .put("occurredAt", OffsetDateTime.now(ZoneOffset.UTC).toString())
                .put("data", data == null ? new JsonObject() : JsonObject.mapFrom(data));
        return tx.preparedQuery(INSERT).execute(Tuple.of(channel, envelope, id.toString()))
                .chain(() -> tx.query(NOTIFY).execute())
                .replaceWithVoid();
    }
}
