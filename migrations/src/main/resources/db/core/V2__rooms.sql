-- Rooms: each maps to one LiveKit room. Recordings (schema recordings) reference rooms but belong to the org:
-- deleting a room sets their room_id to NULL (seed N2), never cascades.

CREATE TABLE core.rooms (
    id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id            uuid        NOT NULL REFERENCES core.organizations (id) ON DELETE CASCADE,
    name              text        NOT NULL CHECK (char_length(btrim(name)) BETWEEN 1 AND 200),
    livekit_room_name text        NOT NULL UNIQUE CHECK (char_length(livekit_room_name) BETWEEN 1 AND 128),
    created_by        uuid        REFERENCES core.users (id) ON DELETE SET NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    -- target of the composite tenant foreign keys: a child row can never point into another org
    UNIQUE (org_id, id)
);
CREATE INDEX rooms_org_created_idx ON core.rooms (org_id, created_at DESC, id DESC);

-- Room -> org, for channel authorization (realtime) and LiveKit room name -> room (recordings).
CREATE VIEW core.room_directory AS
SELECT id AS room_id, org_id, livekit_room_name
FROM core.rooms;

GRANT SELECT ON core.room_directory TO realtime_app, recordings_app;
-- recordings.recordings.room_id REFERENCES core.rooms (id) ON DELETE SET NULL
GRANT REFERENCES (id) ON core.rooms TO recordings_owner;
