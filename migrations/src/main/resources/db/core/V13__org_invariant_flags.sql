-- WorkOS is the source of truth for identity: its changes are applied even when they break a rule our API keeps
-- (the last owner, the seat cap). What the rule protected is then flagged on the org, for its admins and operators.

-- Since when the org has had no active owner (WorkOS deleted, demoted or deactivated the last one); its admins may
-- claim ownership. NULL: it has one.
ALTER TABLE core.organizations ADD COLUMN owner_missing_since timestamptz;
-- Since when the org has had more active members than its plan's seats (WorkOS added them); invitations are refused
-- until it is back under. NULL: within its cap.
ALTER TABLE core.organizations ADD COLUMN over_seat_cap_since timestamptz;

CREATE INDEX organizations_owner_missing_idx ON core.organizations (owner_missing_since) WHERE owner_missing_since IS NOT NULL;
CREATE INDEX organizations_over_seat_cap_idx ON core.organizations (over_seat_cap_since) WHERE over_seat_cap_since IS NOT NULL;
