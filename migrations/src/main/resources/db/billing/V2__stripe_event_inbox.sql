-- Stripe webhook inbox: the webhook endpoint verifies the signature and inserts here (deduplicated on Stripe's
-- event id), then answers 2xx; the inbox worker claims due rows with FOR UPDATE SKIP LOCKED (safe with any
-- number of replicas) and runs SyncStripeDataForOrg for the event's customer. Payloads are kept for operators
-- only: the sync re-fetches from Stripe and never applies them.

CREATE TABLE billing.stripe_event_inbox (
    id                 text        PRIMARY KEY CHECK (char_length(id) <= 255),
    type               text        NOT NULL CHECK (char_length(type) <= 255),
    api_version        text,
    stripe_created     timestamptz NOT NULL,
    payload            jsonb       NOT NULL,
    -- read from the raw JSON (data.object.customer, or data.object.id for customer.* events); null when absent
    stripe_customer_id text,
    status             text        NOT NULL DEFAULT 'pending'
                                   CHECK (status IN ('pending', 'processing', 'done', 'ignored', 'dead')),
    attempts           integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- pending: when it is due; processing: when the claim's lease runs out (a crashed worker's rows come back)
    next_attempt_at    timestamptz NOT NULL DEFAULT now(),
    last_error         text,
    received_at        timestamptz NOT NULL DEFAULT now(),
    processed_at       timestamptz
);

-- claiming: due rows in order
CREATE INDEX stripe_event_inbox_due_idx ON billing.stripe_event_inbox (next_attempt_at)
    WHERE status IN ('pending', 'processing');
-- operators' list of dead events, newest first
CREATE INDEX stripe_event_inbox_dead_idx ON billing.stripe_event_inbox (received_at DESC, id)
    WHERE status = 'dead';
-- pruning finished rows past the retention
CREATE INDEX stripe_event_inbox_finished_idx ON billing.stripe_event_inbox (processed_at)
    WHERE status IN ('done', 'ignored');
CREATE INDEX stripe_event_inbox_customer_idx ON billing.stripe_event_inbox (stripe_customer_id);
