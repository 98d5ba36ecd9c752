-- WorkOS sync, full reconciliation: when the stored event cursor is lost (older than the 30 days WorkOS keeps
-- events, or refused by WorkOS) core-api reads the whole state through WorkOS's list endpoints, then starts a fresh
-- cursor. The cursor row learns two things for that.

-- A fresh cursor may have no event id yet: after a reconciliation that found no event to start after, the stream
-- is read from the oldest event WorkOS keeps, which is then newer than the reconciliation's start.
ALTER TABLE core.workos_sync_cursor ALTER COLUMN after_id DROP NOT NULL;

-- Every WorkOS event created before this time has been applied (or skipped as poison): set to when a run's read
-- started when that read reached the end of the stream, and to when a reconciliation started once it completes.
-- With last_event_at it tells how old the cursor is (the newer of the two), whatever the traffic: a quiet stream
-- is not a stale one.
ALTER TABLE core.workos_sync_cursor ADD COLUMN synced_through timestamptz;
