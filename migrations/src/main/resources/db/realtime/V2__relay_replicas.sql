-- Relay replicas that are busy relaying. A writer sends NOTIFY only when no replica is busy: a busy replica runs
-- pass after pass and picks the new row up anyway, and NOTIFY on every commit halves write throughput under
-- concurrency (PostgreSQL serializes the commits of notifying transactions; measured in bench/outbox/README.md).
-- A replica stamps busy_until a short lease ahead while it works and sets it to now() when it goes idle; a replica
-- that dies busy stops counting when its lease runs out. Rows of replicas gone for a day are pruned.

CREATE TABLE realtime.relay_replicas (
    replica    uuid        PRIMARY KEY,
    busy_until timestamptz NOT NULL,
    seen_at    timestamptz NOT NULL DEFAULT now()
);

-- writers only ask whether a replica is busy
GRANT SELECT ON realtime.relay_replicas TO core_app, recordings_app;

-- The publish-latency metric runs from created_at: take the insert's own time (the writer appends last, right before
-- commit), not the start of a transaction that may have run for a while.
ALTER TABLE realtime.outbox ALTER COLUMN created_at SET DEFAULT clock_timestamp();
