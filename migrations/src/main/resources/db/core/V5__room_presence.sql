-- Room presence, authoritative from LiveKit: one row per participant session (LiveKit participant sid) per room,
-- written by core-api from LiveKit's webhooks and its reconcile job. A 'left' row is kept for a while as a
-- tombstone, so that a join delivered after its leave (LiveKit does not guarantee order) cannot resurrect it.
-- The old per-user table (user_presence) is gone: presence is keyed by sid, since identities can be duplicated.

CREATE TABLE core.room_presence (
    org_id          uuid        NOT NULL,
    room_id         uuid        NOT NULL,
    participant_sid text        NOT NULL CHECK (char_length(participant_sid) BETWEEN 1 AND 128),
    -- the LiveKit identity: the WorkOS user id (user_...) the join token was issued to
    identity        text        NOT NULL CHECK (char_length(identity) <= 256),
    -- that identity resolved to our user when the event arrived; NULL for an identity we do not know
    user_id         uuid        REFERENCES core.users (id) ON DELETE SET NULL,
    state           text        NOT NULL CHECK (state IN ('joined', 'left')),
    -- NULL for a tombstone: a leave recorded for a participant whose join we never saw
    joined_at       timestamptz,
    left_at         timestamptz,
    -- LiveKit's createdAt of the event that set the state (one-second resolution), or when reconcile saw it gone
    last_event_at   timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, participant_sid),
    -- the room is in the row's org; deleting the room deletes its presence
    FOREIGN KEY (org_id, room_id) REFERENCES core.rooms (org_id, id) ON DELETE CASCADE,
    CHECK ((state = 'joined' AND left_at IS NULL) OR (state = 'left' AND left_at IS NOT NULL))
);

-- who is in this room (and the reconcile job's rooms to check)
CREATE INDEX room_presence_room_joined_idx ON core.room_presence (room_id, joined_at)
    WHERE state = 'joined';
-- who is online in this org
CREATE INDEX room_presence_org_joined_idx ON core.room_presence (org_id, identity)
    INCLUDE (room_id, user_id, joined_at) WHERE state = 'joined';
-- pruning old tombstones
CREATE INDEX room_presence_left_idx ON core.room_presence (left_at) WHERE state = 'left';
-- ON DELETE SET NULL from core.users
CREATE INDEX room_presence_user_idx ON core.room_presence (user_id) WHERE user_id IS NOT NULL;
