-- one outbox append exactly as OutboxWriter does it: channel lock, insert, NOTIFY unless a relay replica is busy
\set ch random(1, 256)
BEGIN;
SELECT pg_advisory_xact_lock(hashtext('realtime.outbox.writers'), hashtext('room:' || :ch));
INSERT INTO realtime.outbox (channel, payload, idempotency_key)
VALUES ('room:' || :ch, '{"type": "message.created", "version": 1, "data": {"body": "hello"}}', gen_random_uuid()::text);
SELECT pg_notify('realtime_outbox', '') WHERE NOT EXISTS (
    SELECT 1 FROM realtime.relay_replicas WHERE busy_until > clock_timestamp());
COMMIT;
