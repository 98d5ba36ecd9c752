-- Membership history (seed blocker "membership history"): every change that goes through the single
-- membership write path appends one row, in the same transaction: who, when, from what to what.

CREATE TABLE core.membership_history (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id        uuid        NOT NULL REFERENCES core.organizations (id) ON DELETE CASCADE,
    -- no foreign key: the history of a member outlives the member
    user_id       uuid        NOT NULL,
    -- who made the change; NULL for WorkOS and billing (see source)
    actor_user_id uuid,
    source        text        NOT NULL CHECK (source IN ('api', 'workos', 'billing')),
    -- NULL on the "from" side: the membership did not exist; on the "to" side: it was removed
    from_role     text        CHECK (from_role IN ('owner', 'admin', 'member')),
    to_role       text        CHECK (to_role IN ('owner', 'admin', 'member')),
    from_status   text        CHECK (from_status IN ('active', 'inactive', 'pending')),
    to_status     text        CHECK (to_status IN ('active', 'inactive', 'pending')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (from_status IS NOT NULL OR to_status IS NOT NULL)
);
CREATE INDEX membership_history_org_idx ON core.membership_history (org_id, id DESC);
CREATE INDEX membership_history_user_idx ON core.membership_history (user_id, id DESC);

-- members listed newest first, keyset-paginated
CREATE INDEX memberships_org_created_idx ON core.memberships (org_id, created_at DESC, user_id DESC);
