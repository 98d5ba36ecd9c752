-- Sign-in sessions (GET /v1/auth/callback creates one, POST /v1/auth/refresh rotates it, logout deletes it).
-- WorkOS refresh tokens are single use, so every refresh of a session is serialized on its row (SELECT ... FOR
-- UPDATE): the first caller exchanges the token at WorkOS and stores the answer; callers that raced it with the
-- same token get that stored answer within the reuse interval; the token presented any later is reuse and
-- deletes the session. Tokens are never stored in clear: only their SHA-256 (to find the session) and an AES-GCM
-- ciphertext (to give the answer to the callers that raced).

CREATE TABLE core.auth_sessions (
    id                uuid        PRIMARY KEY,
    workos_user_id    text        NOT NULL CHECK (char_length(workos_user_id) BETWEEN 1 AND 200),
    -- the organization WorkOS scoped the access token to, if any
    workos_org_id     text        CHECK (char_length(workos_org_id) BETWEEN 1 AND 200),
    -- how many times the refresh token was rotated; core.auth_refresh_tokens.generation of the current token
    generation        integer     NOT NULL DEFAULT 0 CHECK (generation >= 0),
    -- the id of the huddle.sessions.encryption-keys key both ciphertexts are under
    key_id            text        NOT NULL CHECK (char_length(key_id) BETWEEN 1 AND 32),
    -- AES-256-GCM: a version byte, the 12-byte nonce, then ciphertext and tag; bound to the session id
    refresh_token_enc bytea       NOT NULL CHECK (octet_length(refresh_token_enc) BETWEEN 30 AND 16384),
    access_token_enc  bytea       NOT NULL CHECK (octet_length(access_token_enc) BETWEEN 30 AND 65536),
    -- when the generation last moved (the reuse interval counts from here); NULL until the first refresh
    rotated_at        timestamptz,
    -- WorkOS was unavailable for this session's last refresh: refresh again no sooner than this
    retry_not_before  timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    refreshed_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_sessions_user_idx ON core.auth_sessions (workos_user_id);
-- pruning of sessions nobody refreshed for huddle.sessions.idle-timeout
CREATE INDEX auth_sessions_refreshed_idx ON core.auth_sessions (refreshed_at);

-- Every refresh token a session has had, by the SHA-256 of the token: the current one (generation equal to the
-- session's), the one just rotated away (generation - 1, answered within the reuse interval) and older ones (kept
-- for huddle.sessions.retired-token-retention, so that presenting one revokes the session instead of being an
-- unknown token).
CREATE TABLE core.auth_refresh_tokens (
    token_hash bytea       PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    session_id uuid        NOT NULL REFERENCES core.auth_sessions (id) ON DELETE CASCADE,
    generation integer     NOT NULL CHECK (generation >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (session_id, generation)
);
