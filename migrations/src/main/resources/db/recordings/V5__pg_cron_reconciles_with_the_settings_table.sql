-- pg_cron's reconcile-stale-recordings calls the function that reads its limits from recordings.job_settings (V4),
-- instead of failing every recording finalizing for a hard-coded 30 minutes; the old function goes. The job is
-- scheduled as V2 did it (the migrator's login, each run switched to recordings_owner); cron.schedule replaces the
-- command of the job of that name.
DO $$
DECLARE
    acting text := current_user;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        RESET ROLE;
        PERFORM cron.schedule('reconcile-stale-recordings', '*/5 * * * *',
                              $job$SET ROLE recordings_owner; SELECT recordings.reconcile_stale_recordings()$job$);
        EXECUTE pg_catalog.format('SET ROLE %I', acting);
    END IF;
END
$$;

DROP FUNCTION recordings.reconcile_stale_recordings(interval);
