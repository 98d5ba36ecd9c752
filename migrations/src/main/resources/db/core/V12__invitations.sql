-- Invitations: a person joins an org only by accepting an invitation (through WorkOS's Invitations API, or through
-- our API when WorkOS is not configured). A pending invitation holds a seat, so that accepting never exceeds the
-- plan's cap; the membership itself is created by the acceptance, through the single membership write path.
CREATE TABLE core.invitations (
    id                   uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id               uuid        NOT NULL REFERENCES core.organizations (id) ON DELETE CASCADE,
    -- as the inviter typed it, lowercased; never joined to core.users before acceptance
    email                text        NOT NULL CHECK (char_length(email) BETWEEN 3 AND 320 AND email = lower(email)),
    role                 text        NOT NULL CHECK (role IN ('admin', 'member')),
    state                text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'revoked')),
    -- WorkOS's invitation_... when WorkOS sent it (then only WorkOS's acceptance makes the member)
    workos_invitation_id text        UNIQUE CHECK (char_length(workos_invitation_id) BETWEEN 1 AND 200),
    invited_by           uuid        REFERENCES core.users (id) ON DELETE SET NULL,
    accepted_by          uuid        REFERENCES core.users (id) ON DELETE SET NULL,
    expires_at           timestamptz NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
-- one pending invitation per address and org
CREATE UNIQUE INDEX invitations_pending_email_key ON core.invitations (org_id, email) WHERE state = 'pending';
-- the admins' list, newest first, and the seat count
CREATE INDEX invitations_org_pending_idx ON core.invitations (org_id, created_at DESC, id DESC) WHERE state = 'pending';

-- Whether WorkOS has verified the user's email (its user objects' email_verified). Only a verified address becomes
-- a member by invitation. Users written before this column: unknown, so not verified until WorkOS says so.
ALTER TABLE core.users ADD COLUMN email_verified boolean NOT NULL DEFAULT false;
