-- WorkOS event sync: core-api reads WorkOS's Events API in order and applies each event in a transaction that also
-- stores the event's id as the stream's cursor, so a crash or a failing event resumes exactly where it stopped.

-- One row per event stream: the id of the last event applied (or skipped as poison), WorkOS's `after` cursor.
CREATE TABLE core.workos_sync_cursor (
    stream        text        PRIMARY KEY CHECK (char_length(stream) BETWEEN 1 AND 100),
    after_id      text        NOT NULL CHECK (char_length(after_id) BETWEEN 1 AND 200),
    -- created_at of that event, for the lag gauge
    last_event_at timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Events that failed to apply. While skipped_at is NULL the event is still retried (attempts counts the
-- failures); once it has failed huddle.workos-sync.poison-after times it is skipped: skipped_at is set and the
-- cursor moves past it in the same transaction. A row whose event later applies is deleted with that apply.
CREATE TABLE core.workos_poison_events (
    event_id        text        PRIMARY KEY CHECK (char_length(event_id) BETWEEN 1 AND 200),
    event_type      text        NOT NULL,
    error           text        NOT NULL,
    payload         jsonb       NOT NULL,
    attempts        integer     NOT NULL CHECK (attempts >= 1),
    first_failed_at timestamptz NOT NULL DEFAULT now(),
    last_failed_at  timestamptz NOT NULL DEFAULT now(),
    skipped_at      timestamptz
);
CREATE INDEX workos_poison_events_skipped_idx ON core.workos_poison_events (skipped_at DESC) WHERE skipped_at IS NOT NULL;

-- WorkOS's updated_at of the data last applied to each row: data older than this is ignored.
-- NULL: never written from WorkOS (created by the API or before the sync existed).
ALTER TABLE core.users ADD COLUMN workos_updated_at timestamptz;
ALTER TABLE core.organizations ADD COLUMN workos_updated_at timestamptz;
ALTER TABLE core.memberships ADD COLUMN workos_updated_at timestamptz;

-- WorkOS ids (user_..., om_...) whose deleted event was applied. WorkOS never reuses an id, so a created or
-- updated event of a deleted id is old data (a replay) and is ignored instead of bringing the row back.
CREATE TABLE core.workos_tombstones (
    workos_id  text        PRIMARY KEY CHECK (char_length(workos_id) BETWEEN 1 AND 200),
    event_id   text        NOT NULL,
    deleted_at timestamptz NOT NULL DEFAULT now()
);
