-- Roles step: runs before every schema migration and is safe to run any number of times.
--
-- For each service schema S:
--   S_owner  NOLOGIN, owns schema S and everything in it; the migrator SETs ROLE to it to run S's migrations.
--   S_app    LOGIN, what service S connects as: reads and writes rows, no DDL.
-- Roles belong to the cluster, schemas and grants to this database.
-- Object-level grants across schemas are made by the migration that creates the object (the owner
-- grants access to what it owns), so they stand beside the object they expose; docs/ARCHITECTURE.md
-- lists them all and RolePrivilegesTest proves exactly that matrix.

DO $roles$
DECLARE
    s text;
BEGIN
    FOREACH s IN ARRAY ARRAY['core', 'billing', 'realtime', 'recordings'] LOOP
        BEGIN
            EXECUTE format('CREATE ROLE %I NOLOGIN', s || '_owner');
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- exists already (or a concurrent migrator made it a moment ago)
        END;
        BEGIN
            EXECUTE format('CREATE ROLE %I LOGIN', s || '_app');
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
        -- an _app role never owns anything and never creates anything
        EXECUTE format('ALTER ROLE %I NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS INHERIT', s || '_app');
        -- the migrator acts as each owner
        EXECUTE format('GRANT %I TO %I', s || '_owner', current_user);
        EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', s, s || '_owner');
        EXECUTE format('ALTER SCHEMA %I OWNER TO %I', s, s || '_owner');
        EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', s);
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, s || '_app');
        -- row access to everything the owner creates, now and later
        EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I',
                       s || '_owner', s, s || '_app');
        EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO %I',
                       s || '_owner', s, s || '_app');
        EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I GRANT EXECUTE ON FUNCTIONS TO %I',
                       s || '_owner', s, s || '_app');
    END LOOP;
END
$roles$;

-- Nobody but the owners may create objects in public.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Cross-schema reach: USAGE only; each object is granted on its own by the migration that creates it.
GRANT USAGE ON SCHEMA core TO billing_app, realtime_app, recordings_app;   -- core views: membership, seats, rooms
GRANT USAGE ON SCHEMA billing TO core_app;                                 -- org_entitlements, seat_changes
GRANT USAGE ON SCHEMA realtime TO core_app, recordings_app;                -- outbox
GRANT USAGE ON SCHEMA core TO recordings_owner;                            -- recordings.room_id references core.rooms
GRANT USAGE ON SCHEMA realtime TO recordings_owner;                        -- its SQL jobs append to the outbox
