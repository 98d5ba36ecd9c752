-- one outbox append with NOTIFY on every commit (the design measured and rejected)
\set ch random(1, 256)
BEGIN;
SELECT pg_advisory_xact_lock(hashtext('realtime.outbox.writers'), hashtext('room:' || :ch));
INSERT INTO realtime.outbox (channel, payload, idempotency_key)
VALUES ('room:' || :ch, '{"type": "message.created", "version": 1, "data": {"body": "hello"}}', gen_random_uuid()::text);
SELECT pg_notify('realtime_outbox', '');
COMMIT;
