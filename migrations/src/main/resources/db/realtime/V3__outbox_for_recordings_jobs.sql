-- recordings' retention and stale jobs announce what they change, like every other writer. Where pg_cron runs
-- them it does so as recordings_owner (the role that scheduled them in the recordings migration), so that role
-- may append to the outbox too: INSERT only, like the services' roles. USAGE on the schema is in the roles step.
GRANT INSERT ON realtime.outbox TO recordings_owner;
