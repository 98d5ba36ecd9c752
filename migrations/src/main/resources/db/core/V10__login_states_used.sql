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
