-- Billing owns everything Stripe: the org -> customer mapping (seed R4), the subscription state that only
-- SyncStripeDataForOrg writes, the entitlement view every service's gate reads, and the seat-change queue
-- core-api's membership write path feeds.

CREATE TABLE billing.customers (
    org_id             uuid        PRIMARY KEY,
    stripe_customer_id text        NOT NULL UNIQUE,
    created_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE billing.org_subscriptions (
    org_id                 uuid        PRIMARY KEY,
    stripe_subscription_id text        NOT NULL UNIQUE,
    status                 text        NOT NULL CHECK (status IN ('incomplete', 'incomplete_expired', 'trialing', 'active',
                                                                  'past_due', 'unpaid', 'canceled', 'paused')),
    price_id               text,
    item_id                text,
    quantity               integer     CHECK (quantity >= 0),
    -- a plan's seat limit; NULL means unlimited
    seat_cap               integer     CHECK (seat_cap > 0),
    current_period_start   timestamptz,
    current_period_end     timestamptz,
    cancel_at_period_end   boolean     NOT NULL DEFAULT false,
    trial_end              timestamptz,
    payment_failed_at      timestamptz,
    -- past_due stays entitled until then (payment_failed_at + the configured grace period)
    grace_ends_at          timestamptz,
    synced_at              timestamptz NOT NULL DEFAULT now()
);

-- The gate. No row: never subscribed. Entitled: active, trialing, past_due within grace; a subscription
-- set to cancel at period end stays entitled until that end even before Stripe's deleted event arrives.
CREATE VIEW billing.org_entitlements AS
SELECT s.org_id,
       e.entitled,
       CASE
           WHEN e.entitled AND s.status = 'past_due' THEN 'past_due_grace'
           WHEN e.entitled THEN s.status
           WHEN s.status = 'past_due' THEN 'past_due_grace_over'
           WHEN s.cancel_at_period_end AND s.status IN ('active', 'trialing') THEN 'canceled'
           ELSE s.status
       END AS reason,
       s.seat_cap,
       s.grace_ends_at
FROM billing.org_subscriptions s
CROSS JOIN LATERAL (
    SELECT CASE
               WHEN s.cancel_at_period_end AND s.current_period_end IS NOT NULL AND s.current_period_end <= now() THEN false
               WHEN s.status IN ('active', 'trialing') THEN true
               WHEN s.status = 'past_due' THEN s.grace_ends_at IS NOT NULL AND now() < s.grace_ends_at
               ELSE false
           END AS entitled
) e;

-- Seat-change queue: one row per membership change, written in core's transaction; billing syncs the Stripe
-- quantity from the current allocated count (never from deltas), so rows only say "org X changed".
CREATE TABLE billing.seat_changes (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id       uuid        NOT NULL,
    reason       text        NOT NULL CHECK (char_length(reason) <= 100),
    created_at   timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz
);
CREATE INDEX seat_changes_pending_idx ON billing.seat_changes (org_id, id) WHERE processed_at IS NULL;

GRANT SELECT ON billing.org_entitlements TO core_app;
GRANT INSERT ON billing.seat_changes TO core_app;
