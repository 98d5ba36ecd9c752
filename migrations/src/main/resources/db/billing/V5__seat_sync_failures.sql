-- Seat syncs that fail: one row per org while its Stripe quantity cannot be set. The seat worker leaves the org
-- alone until next_attempt_at (platform's Backoff: doubled per failure, capped, with jitter). Stripe refusing the
-- update (400, 402, 404) max-attempts times in a row makes the row dead: the worker stops trying, the metric
-- billing.seats.dead counts it, operators list it (GET /v1/billing/ops/seats/dead) and retry it
-- (POST /v1/billing/ops/seats/{orgId}/retry). Other failures (Stripe unreachable, 5xx, 429, 409, 401/403) back
-- off the same way but never die. A successful sync (or nightly reconciliation) of the org deletes its row; its
-- seat_changes rows stay pending meanwhile, so nothing is lost.

CREATE TABLE billing.seat_sync_failures (
    org_id          uuid        PRIMARY KEY,
    status          text        NOT NULL DEFAULT 'retrying' CHECK (status IN ('retrying', 'dead')),
    -- consecutive failures (the backoff grows with them)
    attempts        integer     NOT NULL CHECK (attempts > 0),
    -- consecutive refusals by Stripe among them (dead at max-attempts)
    refusals        integer     NOT NULL CHECK (refusals >= 0 AND refusals <= attempts),
    next_attempt_at timestamptz NOT NULL,
    last_error      text        NOT NULL CHECK (char_length(last_error) <= 1000),
    first_failed_at timestamptz NOT NULL DEFAULT now(),
    last_failed_at  timestamptz NOT NULL DEFAULT now()
);

-- operators' list, newest first
CREATE INDEX seat_sync_failures_dead_idx ON billing.seat_sync_failures (last_failed_at DESC, org_id)
    WHERE status = 'dead';
