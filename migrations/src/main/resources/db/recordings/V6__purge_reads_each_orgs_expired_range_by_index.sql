-- Retention purge by index (#17). The purge compared each recording's created_at with its own org's retention (a
-- correlated subquery per row), a predicate no index can serve: every run read the whole table, 0.5 s idle at a
-- million recordings, growing with the table however little had expired.
--
-- It now finds its rows through recordings_org_created_idx (org_id, created_at DESC, id DESC), which V1 made for the
-- API's listing: a skip scan finds the orgs that have recordings (one index probe per org, each the next org_id after
-- the last), each org gets its bound (now() - its retention), and each org's expired recordings are the range
-- org_id = x AND created_at < bound of the same index (an index-only read: id is in it). The rows found are deleted
-- by primary key, V4's predicate checked again on each. The work is one probe per org plus the rows that expire,
-- whatever the table's size; no new index is needed.
--
-- The bound is computed from recordings.org_settings on every run, as before: nothing is stored per recording, so a
-- change of an org's retention (or its removal, back to 90 days) holds from the next run, with no rows to rewrite
-- and no trigger or lock protocol between a retention change and concurrent inserts. (A purge_at column maintained
-- on write was the alternative: one probe in all, but every retention change rewrites all the org's rows and races
-- with inserts reading the old retention unless both take a per-org lock.) The rows purged, the storage deletions
-- queued and the announcements are the same as V4's: the same predicate (created_at < now() - retention, default 90
-- days), rows deleted first, then the channels locked in the order of their org.

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
            WHERE rec.id = ANY (ARRAY(
                      -- the orgs that have recordings: a skip scan, one probe of the index per org
                      WITH RECURSIVE orgs AS (
                          (SELECT x.org_id FROM recordings.recordings x ORDER BY x.org_id LIMIT 1)
                          UNION ALL
                          SELECT (SELECT x.org_id FROM recordings.recordings x WHERE x.org_id > o.org_id
                                  ORDER BY x.org_id LIMIT 1)
                          FROM orgs o
                          WHERE o.org_id IS NOT NULL
                      )
                      -- each org's expired range of the same index (OFFSET 0: planned per org, never as one join
                      -- over the whole table)
                      SELECT e.id
                      FROM orgs o
                      LEFT JOIN recordings.org_settings s ON s.org_id = o.org_id
                      CROSS JOIN LATERAL (
                          SELECT x.id FROM recordings.recordings x
                          WHERE x.org_id = o.org_id
                            AND x.created_at < pg_catalog.now()
                                               - pg_catalog.make_interval(days => COALESCE(s.retention_days, 90))
                          OFFSET 0) e
                      WHERE o.org_id IS NOT NULL))
              -- V4's predicate, checked again on each row as it is deleted
              AND rec.created_at < pg_catalog.now() - pg_catalog.make_interval(days => COALESCE(
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
