-- Transactional outbox: other services insert a row in the transaction of the change it announces;
-- realtime-bridge relays rows to Centrifugo in commit order per channel. No trigger publishes anything.

CREATE TABLE realtime.outbox (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel         text        NOT NULL CHECK (char_length(channel) BETWEEN 3 AND 255),
    payload         jsonb       NOT NULL,
    idempotency_key text        NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'published', 'dead')),
    published_at    timestamptz,
    last_error      text
);
CREATE INDEX outbox_pending_idx ON realtime.outbox (channel, id) WHERE status = 'pending';
CREATE INDEX outbox_published_idx ON realtime.outbox (published_at) WHERE status = 'published';

-- writers announce changes; they never read or alter the relay's bookkeeping
GRANT INSERT ON realtime.outbox TO core_app, recordings_app;
