-- The Huddle database before the restructure, as the restructure map (Gate 0, N1, N2, C1, C2, C3) describes it:
-- everything in public, guarded by RLS for PostgREST, realtime through Supabase, licensing through pg_cron, pg_net
-- and Vault. Runs after 00-supabase-platform.sql, as the database owner (Supabase's postgres role).

-- Tables -------------------------------------------------------------------------------------------------------

CREATE TABLE public.organizations (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    workos_org_id text        UNIQUE,
    name          text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.users (
    id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    workos_user_id text        NOT NULL UNIQUE,
    email          text        NOT NULL,
    display_name   text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- no status: a member is a row; leaving deletes it (S3 adds status, timestamps, history)
CREATE TABLE public.user_orgs (
    user_id              uuid        NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
    org_id               uuid        NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
    role                 text        NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    workos_membership_id text        UNIQUE,
    created_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, org_id)
);

CREATE TABLE public.rooms (
    id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id            uuid        NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
    name              text        NOT NULL,
    livekit_room_name text        NOT NULL UNIQUE,
    created_by        uuid        REFERENCES public.users (id) ON DELETE SET NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rooms_org_id_idx ON public.rooms (org_id);

CREATE TABLE public.chat_messages (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id      uuid        NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
    room_id     uuid        NOT NULL REFERENCES public.rooms (id) ON DELETE CASCADE,
    user_id     uuid        REFERENCES public.users (id) ON DELETE SET NULL,
    parent_id   uuid        REFERENCES public.chat_messages (id) ON DELETE CASCADE,
    body        text        NOT NULL,
    reply_count integer     NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_messages_room_created_idx ON public.chat_messages (room_id, created_at);
CREATE INDEX chat_messages_parent_idx ON public.chat_messages (parent_id);

-- N2: the room foreign key cascades, so deleting a room deletes its recordings
CREATE TABLE public.recordings (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id     uuid        NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
    room_id    uuid        NOT NULL REFERENCES public.rooms (id) ON DELETE CASCADE,
    egress_id  text        NOT NULL UNIQUE,
    status     text        NOT NULL CHECK (status IN ('recording', 'finalizing', 'ready', 'failed')),
    location   text,
    started_at timestamptz,
    ended_at   timestamptz,
    error      text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recordings_org_idx ON public.recordings (org_id, created_at);

CREATE TABLE public.room_presence (
    room_id         uuid        NOT NULL REFERENCES public.rooms (id) ON DELETE CASCADE,
    participant_sid text        NOT NULL,
    org_id          uuid        NOT NULL,
    identity        text        NOT NULL,
    user_id         uuid        REFERENCES public.users (id) ON DELETE CASCADE,
    joined_at       timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, participant_sid)
);

CREATE TABLE public.user_presence (
    user_id      uuid        PRIMARY KEY REFERENCES public.users (id) ON DELETE CASCADE,
    org_id       uuid        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('online', 'away', 'offline')),
    last_seen_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.org_licenses (
    org_id     uuid        PRIMARY KEY REFERENCES public.organizations (id) ON DELETE CASCADE,
    plan       text        NOT NULL,
    seats      integer     NOT NULL,
    status     text        NOT NULL CHECK (status IN ('active', 'expired')),
    expires_at timestamptz NOT NULL
);

CREATE TABLE public.user_licenses (
    org_id      uuid        NOT NULL REFERENCES public.org_licenses (org_id) ON DELETE CASCADE,
    user_id     uuid        NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
    assigned_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, user_id)
);

CREATE TABLE public.subscription_link (
    org_id                 uuid        PRIMARY KEY REFERENCES public.organizations (id) ON DELETE CASCADE,
    stripe_customer_id     text        NOT NULL UNIQUE,
    stripe_subscription_id text,
    created_at             timestamptz NOT NULL DEFAULT now()
);

-- the WorkOS events cursor: one row
CREATE TABLE public.eventsync_cursor (
    id         smallint    PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    after_id   text,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- JWT helpers (C1 drops them) ----------------------------------------------------------------------------------

CREATE FUNCTION public.jwt_org_id() RETURNS uuid LANGUAGE sql STABLE AS $$
    SELECT nullif(auth.jwt() ->> 'org_id', '')::uuid
$$;
CREATE FUNCTION public.jwt_org_role() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT auth.jwt() ->> 'org_role'
$$;
CREATE FUNCTION public.is_org_member(org uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT EXISTS (SELECT 1 FROM public.user_orgs WHERE org_id = org AND user_id = auth.uid())
$$;
CREATE FUNCTION public.is_org_admin(org uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT EXISTS (SELECT 1 FROM public.user_orgs WHERE org_id = org AND user_id = auth.uid() AND role IN ('owner', 'admin'))
$$;

-- RLS and the 10 policies (C1 drops them) ----------------------------------------------------------------------

ALTER TABLE public.organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.user_orgs ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.rooms ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.chat_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.recordings ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.room_presence ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.user_presence ENABLE ROW LEVEL SECURITY;

CREATE POLICY organizations_select_member ON public.organizations FOR SELECT TO authenticated
    USING (public.is_org_member(id));
CREATE POLICY users_select_colleague ON public.users FOR SELECT TO authenticated
    USING (id = auth.uid() OR EXISTS (SELECT 1 FROM public.user_orgs m WHERE m.user_id = users.id AND public.is_org_member(m.org_id)));
CREATE POLICY user_orgs_select_member ON public.user_orgs FOR SELECT TO authenticated
    USING (public.is_org_member(org_id));
CREATE POLICY rooms_select_member ON public.rooms FOR SELECT TO authenticated
    USING (public.is_org_member(org_id));
CREATE POLICY rooms_insert_admin ON public.rooms FOR INSERT TO authenticated
    WITH CHECK (public.is_org_admin(org_id));
CREATE POLICY chat_messages_select_member ON public.chat_messages FOR SELECT TO authenticated
    USING (public.is_org_member(org_id));
CREATE POLICY chat_messages_insert_author ON public.chat_messages FOR INSERT TO authenticated
    WITH CHECK (user_id = auth.uid() AND public.is_org_member(org_id));
CREATE POLICY recordings_select_member ON public.recordings FOR SELECT TO authenticated
    USING (public.is_org_member(org_id));
CREATE POLICY room_presence_select_member ON public.room_presence FOR SELECT TO authenticated
    USING (public.is_org_member(org_id));
CREATE POLICY user_presence_select_member ON public.user_presence FOR SELECT TO authenticated
    USING (public.is_org_member(org_id));

-- Triggers -----------------------------------------------------------------------------------------------------

-- C1 drops: org and author come from the JWT, whatever the client sent
CREATE FUNCTION public.enforce_defaults() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF auth.uid() IS NOT NULL THEN
        IF TG_TABLE_NAME = 'chat_messages' THEN
            NEW.user_id := auth.uid();
        ELSIF TG_TABLE_NAME = 'rooms' THEN
            NEW.created_by := auth.uid();
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER rooms_enforce_defaults BEFORE INSERT ON public.rooms
    FOR EACH ROW EXECUTE FUNCTION public.enforce_defaults();
CREATE TRIGGER chat_messages_enforce_defaults BEFORE INSERT ON public.chat_messages
    FOR EACH ROW EXECUTE FUNCTION public.enforce_defaults();

-- C1 drops (the rate limits are the app's now)
CREATE FUNCTION public.enforce_message_rate_limit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT count(*) FROM public.chat_messages
        WHERE user_id = NEW.user_id AND created_at > now() - interval '10 seconds') >= 20 THEN
        RAISE EXCEPTION 'rate limit: too many messages' USING ERRCODE = 'P0429';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER chat_messages_rate_limit BEFORE INSERT ON public.chat_messages
    FOR EACH ROW EXECUTE FUNCTION public.enforce_message_rate_limit();
CREATE FUNCTION public.enforce_room_rate_limit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT count(*) FROM public.rooms
        WHERE org_id = NEW.org_id AND created_at > now() - interval '1 minute') >= 30 THEN
        RAISE EXCEPTION 'rate limit: too many rooms' USING ERRCODE = 'P0429';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER rooms_rate_limit BEFORE INSERT ON public.rooms
    FOR EACH ROW EXECUTE FUNCTION public.enforce_room_rate_limit();

-- C1 drops, C3 removes its target: every new message broadcast through Supabase Realtime
CREATE FUNCTION public.notify_new_message() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    INSERT INTO realtime.messages (topic, extension, event, payload, private)
    VALUES ('room:' || NEW.room_id, 'broadcast', 'message.created',
            jsonb_build_object('id', NEW.id, 'room_id', NEW.room_id, 'parent_id', NEW.parent_id), true);
    RETURN NEW;
END
$$;
CREATE TRIGGER chat_messages_notify AFTER INSERT ON public.chat_messages
    FOR EACH ROW EXECUTE FUNCTION public.notify_new_message();

-- kept by the map (reply_count/touch); our schema counts replies in the app, so they go with the old tables
CREATE FUNCTION public.update_reply_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.parent_id IS NOT NULL THEN
        UPDATE public.chat_messages SET reply_count = reply_count + 1 WHERE id = NEW.parent_id;
    ELSIF TG_OP = 'DELETE' AND OLD.parent_id IS NOT NULL THEN
        UPDATE public.chat_messages SET reply_count = greatest(reply_count - 1, 0) WHERE id = OLD.parent_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER chat_messages_reply_count AFTER INSERT OR DELETE ON public.chat_messages
    FOR EACH ROW EXECUTE FUNCTION public.update_reply_count();
CREATE FUNCTION public.touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER organizations_touch BEFORE UPDATE ON public.organizations FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();
CREATE TRIGGER users_touch BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();
CREATE TRIGGER rooms_touch BEFORE UPDATE ON public.rooms FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();
CREATE TRIGGER chat_messages_touch BEFORE UPDATE ON public.chat_messages FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();
CREATE TRIGGER recordings_touch BEFORE UPDATE ON public.recordings FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

-- The 9 RPCs PostgREST exposed (C1 drops them) -----------------------------------------------------------------

CREATE FUNCTION public.create_room(org uuid, room_name text) RETURNS public.rooms
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
    INSERT INTO public.rooms (org_id, name, livekit_room_name, created_by)
    SELECT org, room_name, 'room-' || gen_random_uuid(), auth.uid() WHERE public.is_org_admin(org)
    RETURNING *
$$;
CREATE FUNCTION public.delete_room(room uuid) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
    WITH gone AS (DELETE FROM public.rooms r WHERE r.id = room AND public.is_org_admin(r.org_id) RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM gone)
$$;
CREATE FUNCTION public.post_message(room uuid, message_body text, parent uuid DEFAULT NULL) RETURNS public.chat_messages
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
    INSERT INTO public.chat_messages (org_id, room_id, user_id, parent_id, body)
    SELECT r.org_id, r.id, auth.uid(), parent, message_body FROM public.rooms r
    WHERE r.id = room AND public.is_org_member(r.org_id)
    RETURNING *
$$;
CREATE FUNCTION public.edit_message(message uuid, message_body text) RETURNS public.chat_messages
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
    UPDATE public.chat_messages SET body = message_body WHERE id = message AND user_id = auth.uid() RETURNING *
$$;
CREATE FUNCTION public.list_thread(parent uuid) RETURNS SETOF public.chat_messages
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT m.* FROM public.chat_messages m
    WHERE m.parent_id = parent AND public.is_org_member(m.org_id) ORDER BY m.created_at
$$;
CREATE FUNCTION public.join_room_presence(room uuid, sid text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
    INSERT INTO public.room_presence (room_id, participant_sid, org_id, identity, user_id)
    SELECT r.id, sid, r.org_id, auth.uid()::text, auth.uid() FROM public.rooms r
    WHERE r.id = room AND public.is_org_member(r.org_id)
    ON CONFLICT (room_id, participant_sid) DO UPDATE SET last_seen_at = now()
$$;
CREATE FUNCTION public.leave_room_presence(room uuid, sid text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
    DELETE FROM public.room_presence WHERE room_id = room AND participant_sid = sid AND user_id = auth.uid()
$$;
CREATE FUNCTION public.set_user_presence(new_status text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
    INSERT INTO public.user_presence (user_id, org_id, status) VALUES (auth.uid(), public.jwt_org_id(), new_status)
    ON CONFLICT (user_id) DO UPDATE SET status = EXCLUDED.status, org_id = EXCLUDED.org_id, last_seen_at = now()
$$;
CREATE FUNCTION public.get_org_license(org uuid) RETURNS public.org_licenses
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT * FROM public.org_licenses WHERE org_id = org AND public.is_org_member(org)
$$;

-- Jobs' functions ----------------------------------------------------------------------------------------------

-- N1 drops: the hourly license check calls the backend's /webhook/license-expired through pg_net, signed with a
-- Vault secret
CREATE FUNCTION public.notify_license_expired() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    n integer := 0;
    lic record;
BEGIN
    FOR lic IN UPDATE public.org_licenses SET status = 'expired'
               WHERE status = 'active' AND expires_at < now() RETURNING org_id LOOP
        PERFORM net.http_post(
            url := (SELECT decrypted_secret FROM vault.decrypted_secrets WHERE name = 'backend_url') || '/webhook/license-expired',
            body := jsonb_build_object('org_id', lic.org_id),
            headers := jsonb_build_object('Content-Type', 'application/json', 'Authorization',
                       'Bearer ' || (SELECT decrypted_secret FROM vault.decrypted_secrets WHERE name = 'license_webhook_secret')));
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;
-- C2 drops
CREATE FUNCTION public.clear_stale_presence() RETURNS integer LANGUAGE sql AS $$
    WITH gone AS (DELETE FROM public.user_presence WHERE last_seen_at < now() - interval '2 minutes' RETURNING 1)
    SELECT count(*)::integer FROM gone
$$;
-- replaced by recordings.reconcile_stale_recordings / purge_expired_recordings
CREATE FUNCTION public.reconcile_stale_recordings() RETURNS integer LANGUAGE sql AS $$
    WITH failed AS (
        UPDATE public.recordings SET status = 'failed', error = 'stale', updated_at = now()
        WHERE status = 'finalizing' AND updated_at < now() - interval '30 minutes' RETURNING 1)
    SELECT count(*)::integer FROM failed
$$;
CREATE FUNCTION public.purge_expired_recordings() RETURNS integer LANGUAGE sql AS $$
    WITH gone AS (DELETE FROM public.recordings WHERE created_at < now() - interval '90 days' RETURNING 1)
    SELECT count(*)::integer FROM gone
$$;

SELECT vault.create_secret('https://api.huddle.example', 'backend_url');
SELECT vault.create_secret('whsec_legacy_license_hook', 'license_webhook_secret');

SELECT cron.schedule('check-expired-licenses', '0 * * * *', 'SELECT public.notify_license_expired()');
SELECT cron.schedule('clear-stale-presence', '*/1 * * * *', 'SELECT public.clear_stale_presence()');
SELECT cron.schedule('reconcile-stale-recordings', '*/5 * * * *', 'SELECT public.reconcile_stale_recordings()');
SELECT cron.schedule('purge-expired-recordings', '17 3 * * *', 'SELECT public.purge_expired_recordings()');

-- Realtime: postgres_changes on chat and presence (C3 removes the entries) -------------------------------------

ALTER PUBLICATION supabase_realtime ADD TABLE public.chat_messages, public.room_presence;

-- Grants: Supabase gives anon and authenticated everything in public; writes go through the RPCs --------------

GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
GRANT ALL ON ALL TABLES IN SCHEMA public TO service_role;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO authenticated;
REVOKE INSERT, UPDATE, DELETE ON public.organizations, public.users, public.user_orgs, public.rooms, public.chat_messages,
    public.recordings, public.room_presence, public.user_presence, public.org_licenses, public.user_licenses,
    public.subscription_link, public.eventsync_cursor FROM authenticated;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM anon;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.create_room(uuid, text), public.delete_room(uuid), public.post_message(uuid, text, uuid),
    public.edit_message(uuid, text), public.list_thread(uuid), public.join_room_presence(uuid, text),
    public.leave_room_presence(uuid, text), public.set_user_presence(text), public.get_org_license(uuid),
    public.jwt_org_id(), public.jwt_org_role(), public.is_org_member(uuid), public.is_org_admin(uuid) TO authenticated;
