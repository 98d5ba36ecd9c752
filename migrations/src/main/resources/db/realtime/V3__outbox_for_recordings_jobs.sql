-- recordings' retention and stale jobs announce what they change, like every other writer. Where pg_cron runs
-- them, each run switches to recordings_owner (see recordings V2), so that role
-- may append to the outbox too: INSERT only, like the services' roles. USAGE on the schema is in the roles step.
GRANT INSERT ON realtime.outbox TO recordings_owner;
