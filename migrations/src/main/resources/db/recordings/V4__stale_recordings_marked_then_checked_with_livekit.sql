-- 1. Stale reconciliation no longer fails a recording on age alone. The SQL job (pg_cron where the database has it,
--    else recordings-service's scheduler) only marks a recording finalizing longer than stale_after as a candidate
--    (stale_since), and fails one only once it has been finalizing longer than give_up_after, a long hard limit.
--    Whether a candidate ended is decided by recordings-service, which asks LiveKit (ListEgress) in either case.
-- 2. Both limits are in recordings.job_settings, which the job reads on every run; recordings-service writes its
--    RECORDINGS_STALE_AFTER and RECORDINGS_GIVE_UP_AFTER into it at start-up, so they hold under pg_cron too.
-- 3. A failure decided by reconciliation rather than reported by LiveKit (the hard limit, or an egress LiveKit does
--    not know) is marked failed_by_reconciliation: LiveKit's own result, arriving later (a late egress_ended after a
--    long upload), still replaces it, so a recording that completed ends ready with its object.
-- 4. Every function of this schema runs with search_path = pg_catalog, pg_temp and names every object it uses
--    with its schema (pg_cron runs them with whatever search_path its worker has). Operators and types resolve in
--    pg_catalog, first on that path.

ALTER TABLE recordings.recordings
    ADD COLUMN stale_since timestamptz,
    ADD COLUMN failed_by_reconciliation boolean NOT NULL DEFAULT false;
-- the failures reconciliation decided so far all say so at the end of their error
UPDATE recordings.recordings
SET failed_by_reconciliation = true
WHERE status = 'failed' AND error LIKE '%marked failed by reconciliation';
ALTER TABLE recordings.recordings
    ADD CONSTRAINT recordings_stale_only_finalizing CHECK (stale_since IS NULL OR status = 'finalizing'),
    ADD CONSTRAINT recordings_reconciliation_failures_failed CHECK (NOT failed_by_reconciliation OR status = 'failed');
-- the candidates recordings-service checks with LiveKit, oldest mark first
CREATE INDEX recordings_stale_candidates_idx ON recordings.recordings (stale_since, id)
    WHERE status = 'finalizing' AND stale_since IS NOT NULL;

-- One row: the limits of stale reconciliation, read by the job on every run.
CREATE TABLE recordings.job_settings (
    singleton     boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    stale_after   interval    NOT NULL CHECK (stale_after > interval '0'),
    give_up_after interval    NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT job_settings_give_up_after_stale CHECK (give_up_after >= stale_after)
);
INSERT INTO recordings.job_settings (stale_after, give_up_after) VALUES (interval '30 minutes', interval '24 hours');
-- the service updates the row; the row itself stays
REVOKE INSERT, DELETE ON recordings.job_settings FROM recordings_app;

-- Appends an event to realtime.outbox exactly as the platform's OutboxWriter does: the same versioned envelope,
-- the same per-channel transaction lock (so a channel's ids are in commit order), the same NOTIFY.
CREATE OR REPLACE FUNCTION recordings.announce(channel text, event_type text, data jsonb) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    event_id uuid := pg_catalog.gen_random_uuid();
BEGIN
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('realtime.outbox.writers'),
                                             pg_catalog.hashtext(channel));
    INSERT INTO realtime.outbox (channel, payload, idempotency_key)
    VALUES (channel,
            pg_catalog.jsonb_build_object('type', event_type, 'version', 1, 'id', event_id::text,
                                          'occurredAt', pg_catalog.to_char(pg_catalog.clock_timestamp() AT TIME ZONE 'UTC',
                                                                           'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                                          'data', data),
            event_id::text);
    PERFORM pg_catalog.pg_notify('realtime_outbox', '');
END
$$;

-- One run of stale reconciliation, with the limits of recordings.job_settings: fails (and announces) what has been
-- finalizing longer than give_up_after, marks what has been finalizing longer than stale_after. Returns how many
-- recordings it failed or newly marked. Rows are changed (and locked) first, marked before failed, then the channels
-- are locked in the order of their org: the order of every other writer (row, then channel), so two jobs or a job
-- and a webhook cannot deadlock.
CREATE FUNCTION recordings.reconcile_stale_recordings() RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    settings record;
    r record;
    marked integer;
    failed integer := 0;
BEGIN
    SELECT s.stale_after, s.give_up_after INTO STRICT settings FROM recordings.job_settings s;
    UPDATE recordings.recordings
    SET stale_since = pg_catalog.now()
    WHERE status = 'finalizing' AND stale_since IS NULL
      AND updated_at < pg_catalog.now() - settings.stale_after
      AND updated_at >= pg_catalog.now() - settings.give_up_after;
    GET DIAGNOSTICS marked = ROW_COUNT;
    FOR r IN
        WITH gave_up AS (
            UPDATE recordings.recordings
            SET status = 'failed',
                failed_by_reconciliation = true,
                stale_since = NULL,
                error = pg_catalog.format('no egress_ended from LiveKit within %s of finalizing: marked failed by '
                                          'reconciliation', settings.give_up_after),
                updated_at = pg_catalog.now()
            WHERE status = 'finalizing' AND updated_at < pg_catalog.now() - settings.give_up_after
            RETURNING id, org_id, room_id
        )
        SELECT g.id, g.org_id, g.room_id FROM gave_up g ORDER BY g.org_id, g.id
    LOOP
        PERFORM recordings.announce('org:' || r.org_id, 'recording.updated',
                                    pg_catalog.jsonb_build_object('recordingId', r.id, 'roomId', r.room_id,
                                                                  'status', 'failed'));
        failed := failed + 1;
    END LOOP;
    RETURN marked + failed;
END
$$;

-- Deletes recordings older than their org's retention, queues their storage objects and announces each deletion.
CREATE OR REPLACE FUNCTION recordings.purge_expired_recordings() RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
    n integer := 0;
BEGIN
    FOR r IN
        WITH purged AS (
            DELETE FROM recordings.recordings rec
            WHERE rec.created_at < pg_catalog.now() - pg_catalog.make_interval(days => COALESCE(
                      (SELECT s.retention_days FROM recordings.org_settings s WHERE s.org_id = rec.org_id), 90))
            RETURNING rec.id, rec.org_id, rec.room_id, rec.location, rec.object_key
        ), queued AS (
            INSERT INTO recordings.storage_deletions (recording_id, org_id, location, object_key, reason)
            SELECT p.id, p.org_id, p.location, p.object_key, 'expired' FROM purged p
            WHERE p.location IS NOT NULL OR p.object_key IS NOT NULL
        )
        SELECT p.id, p.org_id, p.room_id FROM purged p ORDER BY p.org_id, p.id
    LOOP
        PERFORM recordings.announce('org:' || r.org_id, 'recording.deleted',
                                    pg_catalog.jsonb_build_object('recordingId', r.id, 'roomId', r.room_id));
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;
