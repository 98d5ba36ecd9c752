-- Recordings belong to the org (seed N2): room_id is nullable and set to NULL when the room is deleted.

CREATE TABLE recordings.recordings (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id        uuid        NOT NULL,
    room_id       uuid        REFERENCES core.rooms (id) ON DELETE SET NULL,
    egress_id     text        NOT NULL UNIQUE,
    status        text        NOT NULL CHECK (status IN ('recording', 'finalizing', 'ready', 'failed')),
    location      text,
    size_bytes    bigint      CHECK (size_bytes >= 0),
    duration_ms   bigint      CHECK (duration_ms >= 0),
    started_at    timestamptz,
    ended_at      timestamptz,
    error         text,
    -- LiveKit's egressInfo.updatedAt (ns): an older update never overwrites a newer one
    source_updated_at_ns bigint NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recordings_org_created_idx ON recordings.recordings (org_id, created_at DESC, id DESC);
CREATE INDEX recordings_room_idx ON recordings.recordings (room_id) WHERE room_id IS NOT NULL;
