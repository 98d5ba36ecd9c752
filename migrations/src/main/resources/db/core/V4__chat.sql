-- Chat: messages in rooms, threads one level deep (a reply's parent is always a top-level message; the API
-- enforces that), and the buckets of the per-member posting rate limit.

CREATE TABLE core.messages (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id      uuid        NOT NULL,
    room_id     uuid        NOT NULL,
    -- a deleted user's messages stay, shown with a deleted (null) author
    author_id   uuid        REFERENCES core.users (id) ON DELETE SET NULL,
    -- null: a top-level message; else the thread it replies to
    parent_id   uuid,
    -- code points, as the API counts them; the API trims before storing
    body        text        NOT NULL CHECK (char_length(body) BETWEEN 1 AND 4000),
    -- kept exact by the API in the transaction that inserts or deletes a reply (no trigger)
    reply_count integer     NOT NULL DEFAULT 0 CHECK (reply_count >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    -- composite tenant key: a message's room is always in the message's org; deleting a room deletes its chat
    FOREIGN KEY (org_id, room_id) REFERENCES core.rooms (org_id, id) ON DELETE CASCADE,
    -- target of the parent key below
    UNIQUE (room_id, id),
    -- a reply's parent is in the same room (hence the same org); deleting a message deletes its thread
    FOREIGN KEY (room_id, parent_id) REFERENCES core.messages (room_id, id) ON DELETE CASCADE,
    CHECK (parent_id <> id)
);
-- room history, newest first, keyset-paginated: top-level messages only (replies are listed per thread)
CREATE INDEX messages_room_history_idx ON core.messages (room_id, created_at DESC, id DESC)
    WHERE parent_id IS NULL;
-- a thread's replies, newest first; also serves the cascade from a deleted parent
CREATE INDEX messages_thread_idx ON core.messages (parent_id, created_at DESC, id DESC)
    WHERE parent_id IS NOT NULL;

-- Posting rate limit, shared by every replica: one token bucket per member and org. A post takes a token in its
-- own transaction with one atomic upsert (refill by the time elapsed, then take one if there is one), so
-- concurrent posts of the same member serialize on this row and never overspend.
CREATE TABLE core.chat_rate_limits (
    org_id      uuid             NOT NULL REFERENCES core.organizations (id) ON DELETE CASCADE,
    user_id     uuid             NOT NULL REFERENCES core.users (id) ON DELETE CASCADE,
    -- fractional: the bucket refills continuously (a count of messages, not an amount of money)
    tokens      double precision NOT NULL CHECK (tokens >= 0),
    refilled_at timestamptz      NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
-- the user foreign key's cascade
CREATE INDEX chat_rate_limits_user_idx ON core.chat_rate_limits (user_id);
