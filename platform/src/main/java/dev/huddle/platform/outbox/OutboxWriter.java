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
 * <p>
 * <b>Commit order.</b> Before inserting, the writer takes a transaction-scoped advisory lock on the channel, held
 * until commit. A second transaction writing the same channel waits there, so it inserts (and gets its id) only
 * after the first has committed: within a channel, id order is commit order, and the relay, which publishes a
 * channel's rows in id order, publishes them in commit order. Writes to one channel are serialized for the
 * short time between a transaction's append and its commit (append last); a transaction appending to several
 * channels takes them in the order it appends, so append the room before the org, always.
 */
@ApplicationScoped
public class OutboxWriter {

    /** The NOTIFY channel an idle realtime-bridge listens on; the payload is empty (the rows are the truth). */
    public static final String NOTIFY_CHANNEL = "realtime_outbox";
    public static final int VERSION = 1;

    private static final String INSERT = """
            INSERT INTO realtime.outbox (channel, payload, idempotency_key) VALUES ($1, $2, $3)""";
    /**
     * Wakes the relay, unless a relay replica is busy relaying (it runs pass after pass and takes the row anyway).
     * NOTIFY on every commit serializes the commits of all notifying transactions and halved write throughput under
     * concurrency in bench/outbox; this way only writes that reach an idle relay pay for it. A wake-up lost in the
     * moment a replica goes idle costs at most the relay's poll interval.
     */
    private static final String NOTIFY = "SELECT pg_notify('" + NOTIFY_CHANNEL + "', '') WHERE NOT EXISTS ("
            + "SELECT 1 FROM realtime.relay_replicas WHERE busy_until > clock_timestamp())";
    /** Not the relay's lock key: a writer must never wait for a publish in flight. */
    private static final String LOCK_CHANNEL = "SELECT pg_advisory_xact_lock(hashtext('realtime.outbox.writers'), hashtext($1))";

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
        return tx.preparedQuery(LOCK_CHANNEL).execute(Tuple.of(channel))
                .chain(() -> tx.preparedQuery(INSERT).execute(Tuple.of(channel, envelope, id.toString())))
                .chain(() -> tx.query(NOTIFY).execute())
                .replaceWithVoid();
    }
}
