-- Retention and stale reconciliation as SQL functions, plus the durable queue of storage objects to delete.
-- Where pg_cron exists in this database (Supabase: database postgres), this migration schedules both functions
-- with it; elsewhere recordings-service runs the same functions with quarkus-scheduler. Both sides decide with
-- the same test (pg_cron present in pg_extension), so a job never runs on both.

-- Per-org retention; an org without a row keeps recordings 90 days.
CREATE TABLE recordings.org_settings (
    org_id         uuid        PRIMARY KEY,
    retention_days integer     NOT NULL CHECK (retention_days BETWEEN 1 AND 3650),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Storage objects whose recording is gone: drained by a worker that deletes the object, then the row.
CREATE TABLE recordings.storage_deletions (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recording_id uuid        NOT NULL,
    org_id       uuid        NOT NULL,
    location     text        NOT NULL,
    reason       text        NOT NULL CHECK (reason IN ('deleted', 'expired')),
    queued_at    timestamptz NOT NULL DEFAULT now(),
    attempts     integer     NOT NULL DEFAULT 0,
    last_error   text
);
CREATE INDEX storage_deletions_queued_idx ON recordings.storage_deletions (queued_at, id);

-- finalizing waits for egress_ended; when it never comes the recording is failed, saying why.
CREATE FUNCTION recordings.reconcile_stale_recordings(older_than interval) RETURNS integer
LANGUAGE sql AS $$
    WITH failed AS (
        UPDATE recordings.recordings
        SET status = 'failed',
            error = format('no egress_ended from LiveKit within %s of finalizing: marked failed by reconciliation',
                           older_than),
            updated_at = now()
        WHERE status = 'finalizing' AND updated_at < now() - older_than
        RETURNING 1
    )
    SELECT count(*)::integer FROM failed
$$;

-- Deletes recordings older than their org's retention and queues their storage objects, in one statement.
CREATE FUNCTION recordings.purge_expired_recordings() RETURNS integer
LANGUAGE sql AS $$
    WITH purged AS (
        DELETE FROM recordings.recordings r
        WHERE r.created_at < now() - make_interval(days => COALESCE(
                  (SELECT s.retention_days FROM recordings.org_settings s WHERE s.org_id = r.org_id), 90))
        RETURNING r.id, r.org_id, r.location
    ), queued AS (
        INSERT INTO recordings.storage_deletions (recording_id, org_id, location, reason)
        SELECT id, org_id, location, 'expired' FROM purged WHERE location IS NOT NULL
        RETURNING 1
    )
    SELECT count(*)::integer FROM purged
$$;

-- pg_cron only where it exists here; the migrator's login needs USAGE on schema cron (granted by the platform
-- admin). A failure to schedule fails the migration rather than leaving no job at all.
-- pg_cron runs a job as the role that scheduled it, and only a role that can log in can run one: recordings_owner,
-- this migration's role, cannot. So the jobs are scheduled as the migrator's own login (session_user; naming
-- another role in cron.schedule_in_database needs a real superuser, which hosted databases do not hand out), and
-- each run switches to recordings_owner before calling the function: the job can do what the schema's owner may,
-- no more. The migrator is a member of recordings_owner (roles step), which lets it SET ROLE to it.
DO $$
DECLARE
    acting text := current_user;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
        RESET ROLE;
        PERFORM cron.schedule('reconcile-stale-recordings', '*/5 * * * *',
                              $job$SET ROLE recordings_owner; SELECT recordings.reconcile_stale_recordings(interval '30 minutes')$job$);
        PERFORM cron.schedule('purge-expired-recordings', '17 3 * * *',
                              $job$SET ROLE recordings_owner; SELECT recordings.purge_expired_recordings()$job$);
        EXECUTE format('SET ROLE %I', acting);
    END IF;
END
$$;
