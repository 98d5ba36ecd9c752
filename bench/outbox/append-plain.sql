-- one outbox append without any NOTIFY (the ceiling: what the insert itself costs)
\set ch random(1, 256)
BEGIN;
SELECT pg_advisory_xact_lock(hashtext('realtime.outbox.writers'), hashtext('room:' || :ch));
INSERT INTO realtime.outbox (channel, payload, idempotency_key)
VALUES ('room:' || :ch, '{"type": "message.created", "version": 1, "data": {"body": "hello"}}', gen_random_uuid()::text);
COMMIT;
