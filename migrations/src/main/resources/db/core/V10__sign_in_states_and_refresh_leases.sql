-- Sign-in states are single use: GET /v1/auth/callback records the nonce of the state it accepts before it calls
-- WorkOS, and refuses a state whose nonce is already recorded (a replay, even with another code, never reaches
-- WorkOS). A state expires (huddle.sessions.state-ttl) and is refused after that anyway, so its row is kept only until
-- then; core-api's session pruning deletes the expired ones.
CREATE TABLE core.auth_login_states_used (
    -- the state's random nonce (base64url of 18 bytes), as signed into it
    nonce      text        PRIMARY KEY CHECK (char_length(nonce) BETWEEN 16 AND 64),
    -- the state's own expiry: after it the state is refused by its signature's payload, and the row can go
    expires_at timestamptz NOT NULL,
    used_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_login_states_used_expires_idx ON core.auth_login_states_used (expires_at);

-- A refresh no longer holds its session's row lock (and a pooled connection) while it waits for WorkOS: under the
-- lock it takes a lease on the session (a random id, valid a little longer than one WorkOS call may take) and
-- commits; it calls WorkOS with no connection held; then, under the lock again, it stores the answer only if its
-- lease is still the session's. Refreshes racing with it see the lease and wait, without a connection, for the
-- answer it stores (or for the lease to run out).
ALTER TABLE core.auth_sessions ADD COLUMN refresh_lease_id uuid;
ALTER TABLE core.auth_sessions ADD COLUMN refresh_lease_until timestamptz;
ALTER TABLE core.auth_sessions ADD CONSTRAINT auth_sessions_refresh_lease_check
    CHECK ((refresh_lease_id IS NULL) = (refresh_lease_until IS NULL));
