package dev.huddle.realtime.outbox;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.huddle.testing.TestDatabase;

/** Arranges outbox rows as a writing service would (the admin inserts; same envelope as OutboxWriter). */
public final class Outbox {

    private Outbox() {
    }

    /**
     * Commits {@code count} events round-robin over {@code channels} in one transaction, each with data
     * {@code {"seq": n}} (n counting up from {@code firstSeq}), and notifies the relay.
     */
    public static void commit(List<String> channels, int firstSeq, int count) {
        TestDatabase.sql("""
                WITH rows AS (
                    SELECT g, (?::text[])[1 + (g % ?)] AS channel, gen_random_uuid()::text AS k
                    FROM generate_series(?, ?) g)
                INSERT INTO realtime.outbox (channel, payload, idempotency_key)
                SELECT channel, jsonb_build_object('type', 'test.happened', 'version', 1, 'id', k,
                        'occurredAt', now(), 'data', jsonb_build_object('seq', g)), k
                FROM rows ORDER BY g""",
                channels.toArray(String[]::new), channels.size(), firstSeq, firstSeq + count - 1);
        TestDatabase.sql("SELECT pg_notify('realtime_outbox', '')");
    }

    /** Commits one event; answers its idempotency key. */
    public static String commitEvent(String channel, String type, Map<String, Object> data) {
        String key = UUID.randomUUID().toString();
        var json = new io.vertx.core.json.JsonObject().put("type", type).put("version", 1).put("id", key)
                .put("occurredAt", java.time.OffsetDateTime.now().toString())
                .put("data", new io.vertx.core.json.JsonObject(data));
        TestDatabase.sql("INSERT INTO realtime.outbox (channel, payload, idempotency_key) VALUES (?, ?::jsonb, ?)",
                channel, json.encode(), key);
        TestDatabase.sql("SELECT pg_notify('realtime_outbox', '')");
        return key;
    }

    public static long count(String channelPrefix, String status) {
        return (Long) TestDatabase.value("SELECT count(*) FROM realtime.outbox WHERE channel LIKE ? AND status = ?",
                channelPrefix + "%", status);
    }

    public static Map<String, Object> row(String key) {
        return TestDatabase.sql("SELECT * FROM realtime.outbox WHERE idempotency_key = ?", key).get(0);
    }
}
