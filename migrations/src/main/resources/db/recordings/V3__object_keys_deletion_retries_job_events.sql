-- 1. Where a recording's object is. LiveKit egress reports each file twice: fileResults[].filename is the key it
--    uploaded to in the bucket it was given (the storage filepath), and location is a URL egress derives from it
--    (https://<bucket>.s3.amazonaws.com/<key> whatever the endpoint). The key is the exact one: it is kept from now
--    on; location stays for display and for rows that have no key (the storage worker then derives the key from
--    it, see ObjectKeys).
-- 2. The storage deletion queue gets a retry schedule: a failed deletion waits next_attempt_at; a claimed row is
--    leased the same way, so a worker that dies gives its rows back.
-- 3. The jobs announce what they change, as the webhooks do: recording.updated (reconcile) and recording.deleted
--    (purge) on the org's channel, written by the SQL functions themselves so that pg_cron's runs announce too.

ALTER TABLE recordings.recordings ADD COLUMN object_key text;
-- what stale reconciliation looks for, in both its SQL and its service form
CREATE INDEX recordings_finalizing_idx ON recordings.recordings (updated_at) WHERE status = 'finalizing';

ALTER TABLE recordings.storage_deletions
    ADD COLUMN object_key text,
    ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
    ALTER COLUMN location DROP NOT NULL,
    ADD CONSTRAINT storage_deletions_has_object CHECK (object_key IS NOT NULL OR location IS NOT NULL);
DROP INDEX recordings.storage_deletions_queued_idx;
CREATE INDEX storage_deletions_due_idx ON recordings.storage_deletions (next_attempt_at, id);

-- Appends an event to realtime.outbox exactly as the platform's OutboxWriter does: the same versioned envelope,
-- the same per-channel transaction lock (so a channel's ids are in commit order), the same NOTIFY.
CREATE FUNCTION recordings.announce(channel text, event_type text, data jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    event_id uuid := gen_random_uuid();
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('realtime.outbox.writers'), hashtext(channel));
    INSERT INTO realtime.outbox (channel, payload, idempotency_key)
    VALUES (channel,
            jsonb_build_object('type', event_type, 'version', 1, 'id', event_id::text,
                               'occurredAt', to_char(clock_timestamp() AT TIME ZONE 'UTC',
                                                     'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                               'data', data),
            event_id::text);
    PERFORM pg_notify('realtime_outbox', '');
END
$$;

-- The rows are changed (and locked) first, then the channels are locked, each in the order of its org: the same
-- order as every other writer (row, then channel), so two jobs or a job and a webhook cannot deadlock.
CREATE OR REPLACE FUNCTION recordings.reconcile_stale_recordings(older_than interval) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    r record;
    n integer := 0;
BEGIN
    FOR r IN
        WITH failed AS (
            UPDATE recordings.recordings
            SET status = 'failed',
                error = format('no egress_ended from LiveKit within %s of finalizing: marked failed by reconciliation',
                               older_than),
                updated_at = now()
            WHERE status = 'finalizing' AND updated_at < now() - older_than
            RETURNING id, org_id, room_id
        )
        SELECT id, org_id, room_id FROM failed ORDER BY org_id, id
    LOOP
        PERFORM recordings.announce('org:' || r.org_id, 'recording.updated',
                                    jsonb_build_object('recordingId', r.id, 'roomId', r.room_id, 'status', 'failed'));
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;

-- Deletes recordings older than their org's retention, queues their storage objects and announces each deletion.
CREATE OR REPLACE FUNCTION recordings.purge_expired_recordings() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    r record;
    n integer := 0;
BEGIN
    FOR r IN
        WITH purged AS (
            DELETE FROM recordings.recordings rec
            WHERE rec.created_at < now() - make_interval(days => COALESCE(
                      (SELECT s.retention_days FROM recordings.org_settings s WHERE s.org_id = rec.org_id), 90))
            RETURNING rec.id, rec.org_id, rec.room_id, rec.location, rec.object_key
        ), queued AS (
            INSERT INTO recordings.storage_deletions (recording_id, org_id, location, object_key, reason)
            SELECT id, org_id, location, object_key, 'expired' FROM purged
            WHERE location IS NOT NULL OR object_key IS NOT NULL
        )
        SELECT id, org_id, room_id FROM purged ORDER BY org_id, id
    LOOP
        PERFORM recordings.announce('org:' || r.org_id, 'recording.deleted',
                                    jsonb_build_object('recordingId', r.id, 'roomId', r.room_id));
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;
