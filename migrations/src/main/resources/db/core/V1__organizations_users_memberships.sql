-- Organizations, users and memberships: the tenant model every service scopes by.
-- Row Level Security is gone (seed C1): application scoping by org is the only guard.

CREATE TABLE core.organizations (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    workos_org_id text        UNIQUE,
    name          text        NOT NULL CHECK (char_length(btrim(name)) BETWEEN 1 AND 200),
    settings      jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(settings) = 'object'),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE core.users (
    id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    workos_user_id text        NOT NULL UNIQUE,
    email          text        NOT NULL CHECK (char_length(email) BETWEEN 3 AND 320),
    display_name   text        CHECK (char_length(display_name) <= 200),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
-- L3: one account per address, whatever its case
CREATE UNIQUE INDEX users_email_lower_key ON core.users (lower(email));

CREATE TABLE core.memberships (
    org_id               uuid        NOT NULL REFERENCES core.organizations (id) ON DELETE CASCADE,
    user_id              uuid        NOT NULL REFERENCES core.users (id) ON DELETE CASCADE,
    role                 text        NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    status               text        NOT NULL CHECK (status IN ('active', 'inactive', 'pending')),
    workos_membership_id text        UNIQUE,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, user_id)
);
-- "my orgs" and the per-request guard, which goes user -> org
CREATE INDEX memberships_user_org_idx ON core.memberships (user_id, org_id) INCLUDE (role, status);

-- The guard's one query, for every service: the caller's active role in an org, by WorkOS user id.
CREATE VIEW core.active_memberships AS
SELECT m.org_id, m.user_id, u.workos_user_id, m.role
FROM core.memberships m
JOIN core.users u ON u.id = m.user_id
WHERE m.status = 'active';

-- Seats allocated = active memberships (what billing syncs to Stripe).
CREATE VIEW core.org_seat_counts AS
SELECT o.id AS org_id, count(m.user_id) FILTER (WHERE m.status = 'active')::integer AS active_members
FROM core.organizations o
LEFT JOIN core.memberships m ON m.org_id = o.id
GROUP BY o.id;

GRANT SELECT ON core.active_memberships TO billing_app, realtime_app, recordings_app;
GRANT SELECT ON core.org_seat_counts TO billing_app;
