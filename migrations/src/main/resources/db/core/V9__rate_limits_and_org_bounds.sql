-- Bounds: one rate-limit mechanism for every limit of core-api (the chat posting limit's token bucket, generalised),
-- the creator of an org (for the per-user cap on orgs created per day), and the index of the keyset-paginated
-- "my orgs" list.

-- One token bucket per limit and subject ("<orgId>|<userId>" for chat posting, "<WorkOS user id>|<orgId>" for
-- writes, a client address or a credential's hash for sign-in). A request takes a token with one atomic upsert
-- (refill by the time elapsed, then take one if there is one), so concurrent requests of a subject serialize on
-- its row and never overspend. A bucket untouched for longer than its period is full, the same as no row: core-api
-- prunes those, so the table holds only the subjects active lately.
CREATE TABLE core.rate_limits (
    bucket      text             NOT NULL CHECK (char_length(bucket) BETWEEN 1 AND 64),
    subject     text             NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 300),
    -- fractional: the bucket refills continuously (a count of requests, not an amount of money)
    tokens      double precision NOT NULL CHECK (tokens >= 0),
    refilled_at timestamptz      NOT NULL,
    PRIMARY KEY (bucket, subject)
);
-- the prune of full buckets
CREATE INDEX rate_limits_refilled_idx ON core.rate_limits (refilled_at);

-- Its buckets are short-lived and refill by themselves: they are not carried over.
DROP TABLE core.chat_rate_limits;

-- Who created an org through the API (NULL: created by WorkOS sync, before this column, or by a deleted user).
ALTER TABLE core.organizations ADD COLUMN created_by uuid REFERENCES core.users (id) ON DELETE SET NULL;
-- the per-user daily creation cap counts the user's orgs of the last day; also the foreign key's SET NULL
CREATE INDEX organizations_created_by_idx ON core.organizations (created_by, created_at) WHERE created_by IS NOT NULL;

-- GET /v1/orgs: the caller's active memberships, newest first, keyset-paginated by (created_at, org_id)
CREATE INDEX memberships_user_listed_idx ON core.memberships (user_id, created_at DESC, org_id DESC)
    WHERE status = 'active';
