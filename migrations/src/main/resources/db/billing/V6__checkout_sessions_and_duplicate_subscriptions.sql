-- Checkout is serialized per org (an advisory lock every replica takes) and reuses the org's open Checkout Session:
-- two browsers that start a checkout at once get the same Stripe URL, so the org cannot end up with two
-- subscriptions. The session is remembered here; checkout asks Stripe whether it is still open before reusing it,
-- and expires it instead when the org's active members are no longer the seats it was made for.
CREATE TABLE billing.checkout_sessions (
    org_id            uuid        PRIMARY KEY,
    stripe_session_id text        NOT NULL UNIQUE,
    url               text        NOT NULL,
    quantity          integer     NOT NULL CHECK (quantity > 0),
    expires_at        timestamptz NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now()
);

-- A customer with more than one live subscription (made before checkout was serialized, or by hand in Stripe's
-- dashboard): the sync keeps storing the current one and lists the others here, for the operators' list
-- (GET /v1/billing/ops/subscriptions/duplicated), instead of silently dropping them.
ALTER TABLE billing.org_subscriptions
    ADD COLUMN other_live_subscription_ids text[] NOT NULL DEFAULT '{}',
    ADD COLUMN duplicates_seen_at timestamptz;

CREATE INDEX org_subscriptions_duplicated_idx ON billing.org_subscriptions (duplicates_seen_at DESC, org_id)
    WHERE cardinality(other_live_subscription_ids) > 0;
