package dev.huddle.migrations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The pre-restructure Supabase database (src/test/resources/legacy: the platform's stand-ins, then Huddle's old
 * schema), filled by a generator at the size a test asks for. The data is a function of the size only (ids are
 * hashes of their index, times count from a fixed instant): two databases generated alike hold the same rows.
 */
public final class LegacyFixture {

    private static final String[] SCRIPTS = { "legacy/00-supabase-platform.sql", "legacy/10-huddle-before-restructure.sql" };

    private LegacyFixture() {
    }

    /** A new database on the test server holding the old layout with {@code messages} chat messages. */
    static PgUrl create(String prefix, int messages) {
        return create(TestServer.shared(), prefix, messages);
    }

    /**
     * A new database on {@code server} holding the old layout with {@code messages} chat messages (system-tests
     * adopts one and runs the services on it).
     */
    public static PgUrl create(PgUrl server, String prefix, int messages) {
        PgUrl db = Databases.create(server, prefix);
        install(db, messages);
        return db;
    }

    /**
     * The old layout with {@code messages} chat messages, in the existing database {@code db} (pg_cron's own database,
     * where its jobs are pg_cron's and not the stand-in's).
     */
    static void install(PgUrl db, int messages) {
        try (Connection c = Databases.connect(db); Statement st = c.createStatement()) {
            for (String script : SCRIPTS) {
                st.execute(Migrator.readScript(script));
            }
            generate(c, messages);
        } catch (SQLException e) {
            throw new IllegalStateException("legacy fixture: " + e.getMessage(), e);
        }
    }

    /**
     * Orgs of 5 members (an owner, an admin, 3 members) and 4 rooms each, one org per 2,000 messages (at least 2);
     * 80 % of the messages start threads, 20 % reply; 2 recordings and one present participant per room; licenses,
     * user presence, a Stripe customer for every other org and the WorkOS cursor. Triggers are off while generating
     * (session_replication_role): the rate limits would refuse a bulk load; reply counts are computed here.
     */
    static void generate(Connection c, int messages) throws SQLException {
        int orgs = Math.max(2, messages / 2000);
        int threads = messages - messages / 5;
        int replies = messages - threads;
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL session_replication_role = replica");
            String base = "timestamptz '2025-01-01 00:00:00+00'";
            st.execute(
                    """
                            INSERT INTO public.organizations (id, workos_org_id, name, created_at, updated_at)
                            SELECT md5('org' || k)::uuid, 'org_' || k, 'Org ' || k, %1$s + k * interval '1 hour', %1$s + k * interval '1 hour'
                            FROM generate_series(0, %2$d - 1) k"""
                            .formatted(base, orgs));
            st.execute(
                    """
                            INSERT INTO auth.users (id, email, created_at)
                            SELECT md5('user' || u)::uuid, 'user' || u || '@example.com', %1$s FROM generate_series(0, %2$d * 5 - 1) u"""
                            .formatted(base,
                                    orgs));
            st.execute("""
                    INSERT INTO public.users (id, workos_user_id, email, display_name, created_at, updated_at)
                    SELECT md5('user' || u)::uuid, 'user_' || u, 'user' || u || '@example.com', 'User ' || u,
                           %1$s + u * interval '1 minute', %1$s + u * interval '1 minute'
                    FROM generate_series(0, %2$d * 5 - 1) u""".formatted(base, orgs));
            st.execute("""
                    INSERT INTO public.user_orgs (user_id, org_id, role, workos_membership_id, created_at)
                    SELECT md5('user' || u)::uuid, md5('org' || (u / 5))::uuid,
                           CASE u %% 5 WHEN 0 THEN 'owner' WHEN 1 THEN 'admin' ELSE 'member' END, 'om_' || u,
                           %1$s + u * interval '1 minute'
                    FROM generate_series(0, %2$d * 5 - 1) u""".formatted(base, orgs));
            st.execute("""
                    INSERT INTO public.rooms (id, org_id, name, livekit_room_name, created_by, created_at, updated_at)
                    SELECT md5('room' || q)::uuid, md5('org' || (q / 4))::uuid, 'Room ' || q, 'lk-room-' || q,
                           md5('user' || ((q / 4) * 5))::uuid, %1$s + q * interval '1 minute', %1$s + q * interval '1 minute'
                    FROM generate_series(0, %2$d * 4 - 1) q""".formatted(base, orgs));
            // thread starts: message i in room i %% rooms, by one of that org's members
            st.execute(
                    """
                            INSERT INTO public.chat_messages (id, org_id, room_id, user_id, parent_id, body, reply_count, created_at, updated_at)
                            SELECT md5('msg' || i)::uuid, md5('org' || ((i %% (%2$d * 4)) / 4))::uuid, md5('room' || (i %% (%2$d * 4)))::uuid,
                                   md5('user' || (((i %% (%2$d * 4)) / 4) * 5 + i %% 5))::uuid, NULL,
                                   'Message ' || i || ': ' || left(md5(i::text) || md5((i + 1)::text), 10 + i %% 50), 0,
                                   %1$s + i * interval '1 second', %1$s + i * interval '1 second'
                            FROM generate_series(0, %3$d - 1) i"""
                            .formatted(base, orgs, threads));
            if (replies > 0) {
                // reply j answers thread start (j * 7919) %% threads, in its room, by a member of its org
                st.execute(
                        """
                                INSERT INTO public.chat_messages (id, org_id, room_id, user_id, parent_id, body, reply_count, created_at, updated_at)
                                SELECT md5('reply' || j)::uuid, md5('org' || ((p %% (%2$d * 4)) / 4))::uuid, md5('room' || (p %% (%2$d * 4)))::uuid,
                                       md5('user' || (((p %% (%2$d * 4)) / 4) * 5 + j %% 5))::uuid, md5('msg' || p)::uuid,
                                       'Reply ' || j, 0, %1$s + (%3$d + j) * interval '1 second', %1$s + (%3$d + j) * interval '1 second'
                                FROM generate_series(0, %4$d - 1) j, LATERAL (SELECT (j::bigint * 7919) %% %3$d AS p) x"""
                                .formatted(base, orgs, threads, replies));
                st.execute(
                        """
                                UPDATE public.chat_messages m SET reply_count = r.n
                                FROM (SELECT parent_id, count(*)::integer AS n FROM public.chat_messages WHERE parent_id IS NOT NULL GROUP BY 1) r
                                WHERE m.id = r.parent_id""");
            }
            st.execute(
                    """
                            INSERT INTO public.recordings (id, org_id, room_id, egress_id, status, location, started_at, ended_at, error,
                                                           created_at, updated_at)
                            SELECT md5('rec' || x)::uuid, md5('org' || ((x / 2) / 4))::uuid, md5('room' || (x / 2))::uuid, 'EG_' || x,
                                   (ARRAY['ready', 'ready', 'finalizing', 'failed', 'recording'])[1 + x %% 5],
                                   CASE WHEN x %% 5 < 2 THEN 's3://huddle-recordings/rec-' || x || '.mp4' END,
                                   %1$s + x * interval '1 hour', CASE WHEN x %% 5 < 4 THEN %1$s + x * interval '1 hour' + interval '20 minutes' END,
                                   CASE WHEN x %% 5 = 3 THEN 'egress aborted' END, %1$s + x * interval '1 hour', %1$s + x * interval '1 hour'
                            FROM generate_series(0, %2$d * 4 * 2 - 1) x"""
                            .formatted(base, orgs));
            st.execute(
                    """
                            INSERT INTO public.room_presence (room_id, participant_sid, org_id, identity, user_id, joined_at, last_seen_at)
                            SELECT md5('room' || q)::uuid, 'PA_' || q, md5('org' || (q / 4))::uuid, 'user_' || ((q / 4) * 5),
                                   md5('user' || ((q / 4) * 5))::uuid, %1$s, %1$s + interval '5 minutes'
                            FROM generate_series(0, %2$d * 4 - 1) q"""
                            .formatted(base, orgs));
            st.execute(
                    """
                            INSERT INTO public.user_presence (user_id, org_id, status, last_seen_at)
                            SELECT md5('user' || u)::uuid, md5('org' || (u / 5))::uuid, (ARRAY['online', 'away', 'offline'])[1 + u %% 3], %1$s
                            FROM generate_series(0, %2$d * 5 - 1) u"""
                            .formatted(base, orgs));
            st.execute(
                    """
                            INSERT INTO public.org_licenses (org_id, plan, seats, status, expires_at)
                            SELECT md5('org' || k)::uuid, 'team', 10, 'active', %1$s + interval '90 days' FROM generate_series(0, %2$d - 1) k"""
                            .formatted(base, orgs));
            st.execute("""
                    INSERT INTO public.user_licenses (org_id, user_id, assigned_at)
                    SELECT md5('org' || (u / 5))::uuid, md5('user' || u)::uuid, %1$s FROM generate_series(0, %2$d * 5 - 1) u"""
                    .formatted(base, orgs));
            st.execute("""
                    INSERT INTO public.subscription_link (org_id, stripe_customer_id, stripe_subscription_id, created_at)
                    SELECT md5('org' || k)::uuid, 'cus_' || k, 'sub_' || k, %1$s FROM generate_series(0, %2$d - 1, 2) k"""
                    .formatted(base, orgs));
            st.execute("INSERT INTO public.eventsync_cursor (id, after_id, updated_at) VALUES (1, 'event_01LEGACYCURSOR', "
                    + base + ")");
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        try (Statement st = c.createStatement()) {
            st.execute("ANALYZE");
        }
    }

    /** Adds {@code sql} (an object the guard does not know) to the fixture. */
    static void add(PgUrl db, String sql) {
        try (Connection c = Databases.connect(db); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
