package dev.huddle.realtime.outbox;

import java.time.OffsetDateTime;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;

/** A pending row of {@code realtime.outbox} as the relay claimed it. */
record OutboxRow(long id, String channel, JsonObject payload, String idempotencyKey, int attempts,
        OffsetDateTime createdAt, boolean due) {

    static OutboxRow from(Row row) {
        Object payload = row.getValue("payload");
        JsonObject json = payload instanceof JsonObject o ? o : new JsonObject(String.valueOf(payload));
        return new OutboxRow(row.getLong("id"), row.getString("channel"), json, row.getString("idempotency_key"),
                row.getInteger("attempts"), row.getOffsetDateTime("created_at"), row.getBoolean("due"));
    }
}
