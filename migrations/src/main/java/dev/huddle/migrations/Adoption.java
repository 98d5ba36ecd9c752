package dev.huddle.migrations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import dev.huddle.migrations.LegacyObjects.Action;

/**
 * {@code adopt}: moves the pre-restructure Supabase database (everything in {@code public}, RLS, Supabase realtime,
 * licensing through pg_cron, pg_net and Vault) onto our layout, in place.
 * <ol>
 * <li>Guard: a snapshot, compared with the objects adopt knows ({@link LegacyObjects}); anything unknown stops it
 * before any change, each unknown object named.</li>
 * <li>The old application's pg_cron jobs paused: one of them changes recordings, which adopt moves.</li>
 * <li>C3 first (our {@code realtime} schema takes Supabase's name): the publication entries, Supabase Realtime's own
 * objects in {@code realtime} ({@code realtime.messages}, its tables, functions and types) and the trigger that
 * filled {@code realtime.messages} go.</li>
 * <li>Our roles and schemas ({@link Migrator#migrate}).</li>
 * <li>The moves: organizations, users, memberships (S3: status, timestamps, one history row each), rooms, messages
 * (threads, then replies, in batches), room presence, recordings (N2: the room foreign key sets null), the Stripe
 * customer of each org (R4), the WorkOS cursor. Progress per table: rows moved of total, rate, time left.</li>
 * <li>Verification of every move: row counts and a checksum of the moved columns on both sides; referential
 * integrity is our schemas' foreign keys, checked as each row goes in.</li>
 * <li>Cleanup, one transaction: N1 (licensing tables, the license job, its hook function, Vault secrets, pg_net use),
 * C1 (RLS, the 10 policies, the JWT helpers, the 9 RPCs, the trigger set, {@code authenticated}'s access), C2
 * ({@code user_presence} and its job), the two recordings jobs pointed at our functions and running again, the moved
 * tables.</li>
 * <li>{@link Migrator#verify} (no drift), then the report.</li>
 * </ol>
 * Each step commits with its record in {@code public.huddle_adoption}; a batch of a move commits with its
 * position. Killed at any point, a new run resumes where the last commit left; a run after the end changes nothing
 * and says so.
 */
public final class Adoption {

    /** The outcome of a run. */
    public enum Outcome {
        /** adopted now, or before: nothing left to do */
        DONE,
        /** the guard found objects it does not know: nothing was changed */
        STOPPED_BY_GUARD,
        /** {@code --plan}: printed, nothing changed */
        PLANNED
    }

    /** A run's result: its outcome, the unknown objects (guard), and the report or plan text. */
    public record Result(Outcome outcome, List<String> unknown, String text) {
    }

    static final String STATE_TABLE = "public.huddle_adoption";

    private static final String CREATE_STATE = """
            CREATE TABLE IF NOT EXISTS public.huddle_adoption (
                step        text        PRIMARY KEY,
                resume_after text,
                rows_moved  bigint      NOT NULL DEFAULT 0,
                finished_at timestamptz,
                report      text
            )""";

    private final PgUrl admin;
    private final LegacyObjects known;
    private final int batchSize;
    private final Consumer<String> log;

    /**
     * @param admin the database to adopt, as its owner (Supabase's {@code postgres})
     * @param known what the guard knows
     * @param batchSize rows per transaction when moving messages
     * @param log where progress goes, line by line
     */
    public Adoption(PgUrl admin, LegacyObjects known, int batchSize, Consumer<String> log) {
        this.admin = admin;
        this.known = known;
        this.batchSize = batchSize;
        this.log = log;
    }

    /** Runs the guard, then the plan ({@code planOnly}) or every step not done yet. */
    public Result run(boolean planOnly) {
        try (Connection c = Databases.connect(admin)) {
            boolean started = stateExists(c);
            if (started && finished(c)) {
                String report = storedText(c, "done");
                List<String> drift = new Migrator(admin).verify();
                if (!drift.isEmpty()) {
                    throw new IllegalStateException("adopted before, but drifted since: " + String.join("; ", drift));
                }
                log.accept("adopt: this database was adopted before; nothing to do, nothing changed");
                return new Result(Outcome.DONE, List.of(), report);
            }
            Snapshot before = Snapshot.take(c);
            List<String> unknown = known.unknown(before, started);
            if (!unknown.isEmpty()) {
                return new Result(Outcome.STOPPED_BY_GUARD, unknown, "");
            }
            if (!started && !tableExists(c, "public.chat_messages")) {
                throw new IllegalStateException("this database does not hold the pre-restructure layout"
                        + " (no public.chat_messages): nothing to adopt");
            }
            Map<Action, List<String>> classified = classify(before, started);
            if (planOnly) {
                return new Result(Outcome.PLANNED, List.of(), plan(c, classified));
            }
            return new Result(Outcome.DONE, List.of(), adopt(c, classified));
        } catch (SQLException e) {
            throw new IllegalStateException("adopt failed: " + e.getMessage(), e);
        }
    }

    private String adopt(Connection c, Map<Action, List<String>> classified) throws SQLException {
        // the objects as the first run found them: a resumed run reports what the whole adoption did
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute(CREATE_STATE);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO public.huddle_adoption (step, finished_at, report) VALUES ('guard', now(), ?)
                    ON CONFLICT (step) DO NOTHING""")) {
                ps.setString(1, objects(classified));
                ps.executeUpdate();
            }
            c.commit();
        } finally {
            c.setAutoCommit(true);
        }
        step(c, "pause-old-jobs", PAUSE_OLD_JOBS);
        step(c, "c3-realtime", C3);
        if (!done(c, "migrate")) {
            log.accept("adopt: migrate: our roles and schemas");
            new Migrator(admin).migrate(Map.of());
            markDone(c, "migrate", 0);
        }
        for (Move move : MOVES) {
            move(c, move);
        }
        if (!done(c, "verify-moves")) {
            log.accept("adopt: verify-moves");
            saveText(c, "verify-moves", verifyMoves(c));
        }
        step(c, "cleanup", CLEANUP);
        List<String> drift = new Migrator(admin).verify();
        if (!drift.isEmpty()) {
            throw new IllegalStateException("adopted, but our schemas differ from what our migrations make: "
                    + String.join("; ", drift));
        }
        String report = "adopt: report\n" + storedText(c, "verify-moves") + storedText(c, "guard");
        saveText(c, "done", report);
        return report;
    }

    /** Records a finished step with its text, in one transaction. */
    private static void saveText(Connection c, String step, String text) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO public.huddle_adoption (step, finished_at, report) VALUES (?, now(), ?)
                ON CONFLICT (step) DO UPDATE SET finished_at = now(), report = EXCLUDED.report""")) {
            ps.setString(1, step);
            ps.setString(2, text);
            ps.executeUpdate();
        }
    }

    private static String storedText(Connection c, String step) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(report, '') FROM " + STATE_TABLE + " WHERE step = ?")) {
            ps.setString(1, step);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }

    private static String objects(Map<Action, List<String>> classified) {
        StringBuilder out = new StringBuilder();
        appendObjects(out, classified);
        return out.toString();
    }

    /** A one-transaction step, recorded in the same transaction. */
    private void step(Connection c, String name, List<String> statements) throws SQLException {
        if (done(c, name)) {
            log.accept("adopt: " + name + ": done before");
            return;
        }
        log.accept("adopt: " + name);
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
            markDone(c, name, 0);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private void move(Connection c, Move move) throws SQLException {
        if (done(c, move.step())) {
            log.accept("adopt: " + move.step() + ": done before");
            return;
        }
        if (!tableExists(c, move.source())) {
            log.accept("adopt: " + move.step() + ": no " + move.source() + " in this database, nothing to move");
            markDone(c, move.step(), 0);
            return;
        }
        long total = count(c, move.countSql());
        long movedBefore = 0;
        Optional<String> position = Optional.empty();
        try (PreparedStatement ps = c
                .prepareStatement("SELECT resume_after, rows_moved FROM " + STATE_TABLE + " WHERE step = ?")) {
            ps.setString(1, move.step());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    position = Optional.ofNullable(rs.getString(1));
                    movedBefore = rs.getLong(2);
                }
            }
        }
        Progress progress = new Progress(move.step(), total, movedBefore, log);
        c.setAutoCommit(false);
        try {
            if (move.batched()) {
                while (true) {
                    long seen;
                    long inserted;
                    String last;
                    try (PreparedStatement ps = c.prepareStatement(move.copySql())) {
                        ps.setString(1, position.orElse(null));
                        ps.setInt(2, batchSize);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            seen = rs.getLong(1);
                            inserted = rs.getLong(2);
                            last = rs.getString(3);
                        }
                    }
                    if (seen == 0) {
                        break;
                    }
                    position = Optional.of(last);
                    progress.add(inserted);
                    savePosition(c, move.step(), last, progress.moved());
                    c.commit();
                    progress.report(false);
                }
            } else {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(move.copySql())) {
                    rs.next();
                    progress.add(rs.getLong(1));
                }
            }
            savePosition(c, move.step(), position.orElse(null), progress.moved());
            markDone(c, move.step(), progress.moved());
            c.commit();
            progress.report(true);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Row count and a checksum of the moved columns, source and target, per moved table: they must be equal. */
    private String verifyMoves(Connection c) throws SQLException {
        StringBuilder moved = new StringBuilder("moved (rows in the old table -> rows in ours):\n");
        List<String> mismatches = new ArrayList<>();
        for (Check check : CHECKS) {
            if (!tableExists(c, check.sourceTable())) {
                continue;
            }
            CountAndSum source = countAndSum(c, check.source());
            CountAndSum target = countAndSum(c, check.target());
            moved.append("  ").append(check.name()).append(": ").append(source.rows()).append(" -> ").append(target.rows())
                    .append('\n');
            if (!source.equals(target)) {
                mismatches.add("%s: %d rows (checksum %s) in the old table, %d (checksum %s) moved".formatted(check.name(),
                        source.rows(), source.sum(), target.rows(), target.sum()));
            }
        }
        if (!mismatches.isEmpty()) {
            throw new IllegalStateException("moved rows do not match, nothing dropped: " + String.join("; ", mismatches));
        }
        return moved.toString();
    }

    private String plan(Connection c, Map<Action, List<String>> classified) throws SQLException {
        StringBuilder out = new StringBuilder("adopt --plan: the steps, in order (nothing has been changed)\n");
        int n = 1;
        out.append(n++).append(". pause-old-jobs: the old application's pg_cron jobs of this database paused\n");
        out.append(n++).append(". c3-realtime: remove the supabase_realtime publication entries, the notify_new_message")
                .append(" trigger, realtime.messages (%d rows, not moved) and Supabase Realtime's other objects\n"
                        .formatted(tableExists(c, "realtime.messages")
                                ? count(c, "SELECT count(*) FROM realtime.messages")
                                : 0));
        out.append(n++).append(". migrate: our roles and the schemas core, billing, realtime, recordings\n");
        for (Move move : MOVES) {
            out.append(n++).append(". ").append(move.step()).append(": ").append(move.describe()).append(", ")
                    .append(tableExists(c, move.source()) ? count(c, move.countSql()) + " rows" : "no such table, nothing")
                    .append('\n');
        }
        out.append(n++).append(". verify-moves: row counts and checksums on both sides\n");
        out.append(n++).append(". cleanup (one transaction): N1, C1, C2, the recordings jobs rescheduled, the moved tables")
                .append(" dropped\n");
        out.append(n).append(". verify: our schemas against what our migrations make\n");
        appendObjects(out, classified);
        return out.toString();
    }

    private static void appendObjects(StringBuilder out, Map<Action, List<String>> classified) {
        classified.forEach((action, lines) -> {
            out.append(action.name().toLowerCase(java.util.Locale.ROOT)).append(" (").append(lines.size())
                    .append(" objects):\n");
            String verb = action.name().toLowerCase(java.util.Locale.ROOT);
            lines.forEach(line -> out.append("  ").append(verb).append(' ').append(Snapshot.key(line)).append('\n'));
        });
    }

    /**
     * What adopt does to each object of {@code snapshot}; once started, our own schemas' objects are left out (before,
     * the {@code realtime} schema is Supabase Realtime's, whose objects C3 drops).
     */
    private Map<Action, List<String>> classify(Snapshot snapshot, boolean started) {
        Map<Action, List<String>> classified = new LinkedHashMap<>();
        for (Action action : Action.values()) {
            classified.put(action, new ArrayList<>());
        }
        for (String line : snapshot.lines()) {
            if (started && LegacyObjects.inOurSchemas(line)) {
                continue;
            }
            known.actionFor(line).ifPresent(action -> classified.get(action).add(line));
        }
        return classified;
    }

    private static boolean stateExists(Connection c) throws SQLException {
        return tableExists(c, STATE_TABLE);
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static boolean finished(Connection c) throws SQLException {
        return done(c, "done");
    }

    private static boolean done(Connection c, String step) throws SQLException {
        if (!stateExists(c)) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM " + STATE_TABLE + " WHERE step = ? AND finished_at IS NOT NULL")) {
            ps.setString(1, step);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void markDone(Connection c, String step, long rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO public.huddle_adoption (step, rows_moved, finished_at) VALUES (?, ?, now())
                ON CONFLICT (step) DO UPDATE SET rows_moved = EXCLUDED.rows_moved, finished_at = now()""")) {
            ps.setString(1, step);
            ps.setLong(2, rows);
            ps.executeUpdate();
        }
    }

    private static void savePosition(Connection c, String step, String position, long rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO public.huddle_adoption (step, resume_after, rows_moved) VALUES (?, ?, ?)
                ON CONFLICT (step) DO UPDATE SET resume_after = EXCLUDED.resume_after, rows_moved = EXCLUDED.rows_moved""")) {
            ps.setString(1, step);
            ps.setString(2, position);
            ps.setLong(3, rows);
            ps.executeUpdate();
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private record CountAndSum(long rows, String sum) {
    }

    private static CountAndSum countAndSum(Connection c, String projection) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(projection)) {
            rs.next();
            return new CountAndSum(rs.getLong(1), rs.getString(2));
        }
    }

    /** Rows moved of total, rate, time left: at most once a second, and at the end. */
    private static final class Progress {
        private final String step;
        private final long total;
        private final long startedWith;
        private final long startedAt = System.nanoTime();
        private final Consumer<String> log;
        private long moved;
        private long lastReport;

        Progress(String step, long total, long movedBefore, Consumer<String> log) {
            this.step = step;
            this.total = total;
            this.startedWith = movedBefore;
            this.moved = movedBefore;
            this.log = log;
        }

        void add(long rows) {
            moved += rows;
        }

        long moved() {
            return moved;
        }

        void report(boolean last) {
            long now = System.nanoTime();
            if (!last && now - lastReport < 1_000_000_000L) {
                return;
            }
            lastReport = now;
            double seconds = Math.max((now - startedAt) / 1e9, 1e-3);
            double rate = (moved - startedWith) / seconds;
            String left = rate > 0 ? format(Duration.ofSeconds((long) (Math.max(total - moved, 0) / rate))) : "?";
            log.accept("adopt: %s: %d of %d rows moved (%d%%), %.0f rows/s, %s%s".formatted(step, moved, total,
                    total == 0 ? 100 : moved * 100 / total, rate, last ? "done in " + format(Duration.ofNanos(now - startedAt))
                            : "about " + left + " left",
                    startedWith > 0 ? " (resumed after " + startedWith + ")" : ""));
        }

        private static String format(Duration d) {
            return d.toMinutes() > 0 ? "%dm %ds".formatted(d.toMinutes(), d.toSecondsPart()) : d.toSeconds() + "s";
        }
    }

    /** A table move: a count of what it moves, and the copy (batched: keyset by id, parameters after-id, limit). */
    record Move(String step, String describe, String countSql, String copySql, boolean batched) {

        /** The old table it reads. */
        String source() {
            return describe.substring(0, describe.indexOf(' '));
        }
    }

    /** Both sides of a move, each as {@code SELECT count(*), sum(hash of the moved columns)}. */
    record Check(String name, String source, String target) {

        /** The old table it reads. */
        String sourceTable() {
            String from = source.substring(source.indexOf(" FROM ") + 6);
            return from.contains(" ") ? from.substring(0, from.indexOf(' ')) : from;
        }
    }

    private static final String ZERO_UUID = "'00000000-0000-0000-0000-000000000000'::uuid";

    private static String batchedMessages(String filter) {
        return """
                WITH batch AS (
                    SELECT * FROM public.chat_messages
                    WHERE %s AND id > coalesce(?::uuid, %s)
                    ORDER BY id LIMIT ?
                ), moved AS (
                    INSERT INTO core.messages (id, org_id, room_id, author_id, parent_id, body, reply_count, created_at, updated_at)
                    SELECT id, org_id, room_id, user_id, parent_id, body, reply_count, created_at, updated_at FROM batch
                    ON CONFLICT (id) DO NOTHING
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM batch), (SELECT count(*) FROM moved),
                       (SELECT id::text FROM batch ORDER BY id DESC LIMIT 1)"""
                .formatted(filter, ZERO_UUID);
    }

    private static String once(String insert) {
        return "WITH moved AS (" + insert + " RETURNING 1) SELECT count(*) FROM moved";
    }

    static final List<Move> MOVES = List.of(
            new Move("move-organizations", "public.organizations -> core.organizations",
                    "SELECT count(*) FROM public.organizations",
                    once("""
                            INSERT INTO core.organizations (id, workos_org_id, name, created_at, updated_at)
                            SELECT id, workos_org_id, name, created_at, updated_at FROM public.organizations
                            ON CONFLICT (id) DO NOTHING"""),
                    false),
            new Move("move-users", "public.users -> core.users", "SELECT count(*) FROM public.users", once("""
                    INSERT INTO core.users (id, workos_user_id, email, display_name, created_at, updated_at)
                    SELECT id, workos_user_id, email, display_name, created_at, updated_at FROM public.users
                    ON CONFLICT (id) DO NOTHING"""), false),
            // S3: every old membership is active; its history starts with that, dated when it began
            new Move("move-memberships", "public.user_orgs -> core.memberships (status active) and core.membership_history",
                    "SELECT count(*) FROM public.user_orgs",
                    """
                            WITH moved AS (
                                INSERT INTO core.memberships (org_id, user_id, role, status, workos_membership_id, created_at, updated_at)
                                SELECT org_id, user_id, role, 'active', workos_membership_id, created_at, created_at FROM public.user_orgs
                                ON CONFLICT (org_id, user_id) DO NOTHING
                                RETURNING org_id, user_id, role, created_at
                            ), history AS (
                                INSERT INTO core.membership_history (org_id, user_id, source, to_role, to_status, created_at)
                                SELECT org_id, user_id, 'api', role, 'active', created_at FROM moved
                                RETURNING 1
                            )
                            SELECT count(*) FROM moved""",
                    false),
            new Move("move-rooms", "public.rooms -> core.rooms", "SELECT count(*) FROM public.rooms", once("""
                    INSERT INTO core.rooms (id, org_id, name, livekit_room_name, created_by, created_at, updated_at)
                    SELECT id, org_id, name, livekit_room_name, created_by, created_at, updated_at FROM public.rooms
                    ON CONFLICT (id) DO NOTHING"""), false),
            new Move("move-messages-threads", "public.chat_messages (thread starts) -> core.messages",
                    "SELECT count(*) FROM public.chat_messages WHERE parent_id IS NULL", batchedMessages("parent_id IS NULL"),
                    true),
            new Move("move-messages-replies", "public.chat_messages (replies) -> core.messages",
                    "SELECT count(*) FROM public.chat_messages WHERE parent_id IS NOT NULL",
                    batchedMessages("parent_id IS NOT NULL"), true),
            new Move("move-room-presence", "public.room_presence -> core.room_presence (state joined)",
                    "SELECT count(*) FROM public.room_presence",
                    once("""
                            INSERT INTO core.room_presence (org_id, room_id, participant_sid, identity, user_id, state, joined_at,
                                                            last_event_at, created_at, updated_at)
                            SELECT org_id, room_id, participant_sid, identity, user_id, 'joined', joined_at, last_seen_at, joined_at,
                                   last_seen_at
                            FROM public.room_presence
                            ON CONFLICT (room_id, participant_sid) DO NOTHING"""),
                    false),
            // N2: our recordings keep their org; a deleted room sets room_id to null
            new Move("move-recordings", "public.recordings -> recordings.recordings", "SELECT count(*) FROM public.recordings",
                    once("""
                            INSERT INTO recordings.recordings (id, org_id, room_id, egress_id, status, location, started_at, ended_at,
                                                               error, created_at, updated_at)
                            SELECT id, org_id, room_id, egress_id, status, location, started_at, ended_at, error, created_at, updated_at
                            FROM public.recordings
                            ON CONFLICT (id) DO NOTHING"""),
                    false),
            // R4: the org's Stripe customer; the subscription itself is synced from Stripe, never copied
            new Move("move-stripe-customers", "public.subscription_link (customer) -> billing.customers",
                    "SELECT count(*) FROM public.subscription_link", once("""
                            INSERT INTO billing.customers (org_id, stripe_customer_id, created_at)
                            SELECT org_id, stripe_customer_id, created_at FROM public.subscription_link
                            ON CONFLICT (org_id) DO NOTHING"""),
                    false),
            new Move("move-workos-cursor", "public.eventsync_cursor -> core.workos_sync_cursor (stream workos.events)",
                    "SELECT count(*) FROM public.eventsync_cursor WHERE after_id IS NOT NULL", once("""
                            INSERT INTO core.workos_sync_cursor (stream, after_id, updated_at)
                            SELECT 'workos.events', after_id, updated_at FROM public.eventsync_cursor WHERE after_id IS NOT NULL
                            ON CONFLICT (stream) DO NOTHING"""),
                    false));

    private static String sum(String columns, String from) {
        return "SELECT count(*), coalesce(sum(hashtextextended(concat_ws('|', " + columns + "), 0)), 0)::text FROM " + from;
    }

    static final List<Check> CHECKS = List.of(
            new Check("organizations", sum("id, workos_org_id, name, created_at, updated_at", "public.organizations"),
                    sum("id, workos_org_id, name, created_at, updated_at", "core.organizations")),
            new Check("users", sum("id, workos_user_id, email, display_name, created_at, updated_at", "public.users"),
                    sum("id, workos_user_id, email, display_name, created_at, updated_at", "core.users")),
            new Check("memberships", sum("org_id, user_id, role, workos_membership_id, created_at", "public.user_orgs"),
                    sum("org_id, user_id, role, workos_membership_id, created_at", "core.memberships")),
            new Check("rooms", sum("id, org_id, name, livekit_room_name, created_by, created_at, updated_at", "public.rooms"),
                    sum("id, org_id, name, livekit_room_name, created_by, created_at, updated_at", "core.rooms")),
            new Check("messages",
                    sum("id, org_id, room_id, user_id, parent_id, body, reply_count, created_at, updated_at",
                            "public.chat_messages"),
                    sum("id, org_id, room_id, author_id, parent_id, body, reply_count, created_at, updated_at",
                            "core.messages")),
            new Check("room presence", sum("org_id, room_id, participant_sid, identity, user_id, joined_at, last_seen_at",
                    "public.room_presence"),
                    sum("org_id, room_id, participant_sid, identity, user_id, joined_at, last_event_at", "core.room_presence")),
            new Check("recordings",
                    sum("id, org_id, room_id, egress_id, status, location, started_at, ended_at, error, created_at, updated_at",
                            "public.recordings"),
                    sum("id, org_id, room_id, egress_id, status, location, started_at, ended_at, error, created_at, updated_at",
                            "recordings.recordings")),
            new Check("stripe customers", sum("org_id, stripe_customer_id, created_at", "public.subscription_link"),
                    sum("org_id, stripe_customer_id, created_at", "billing.customers")),
            new Check("workos cursor", sum("after_id", "public.eventsync_cursor WHERE after_id IS NOT NULL"),
                    sum("after_id", "core.workos_sync_cursor WHERE stream = 'workos.events'")));

    /** The old jobs by name: pg_cron keeps a job of a name per user, as Supabase's {@code postgres} made these. */
    private static final String OLD_JOBS = "('check-expired-licenses', 'clear-stale-presence', 'reconcile-stale-recordings',"
            + " 'purge-expired-recordings')";

    /**
     * The old application's pg_cron jobs of this database, paused while adopt works: reconcile-stale-recordings changes
     * rows of public.recordings, which would then differ from the moved ones. The cleanup unschedules two and points
     * the recordings jobs at our functions, running again; pg_cron's {@code cron.schedule} of a name that exists
     * changes its schedule and command, not whether it is active.
     */
    static final List<String> PAUSE_OLD_JOBS = List.of("""
            DO $$
            BEGIN
                IF to_regclass('cron.job') IS NULL THEN
                    RETURN;
                END IF;
                PERFORM cron.alter_job(jobid, active := false) FROM cron.job
                WHERE database = current_database() AND active AND jobname IN %s;
            END
            $$""".formatted(OLD_JOBS));

    /**
     * C3, before our realtime schema takes the name: the publication entries, then Supabase Realtime's own objects in
     * {@code realtime} (its broadcast table {@code realtime.messages}, {@code schema_migrations}, {@code subscription},
     * its functions and types: the guard let nothing else in that schema through, so these are all there is), each
     * kind in one statement without CASCADE: views, tables (with their triggers, indexes and owned sequences),
     * sequences, routines, types, domains.
     */
    static final List<String> C3 = List.of("""
            DO $$
            DECLARE
                t record;
            BEGIN
                FOR t IN SELECT schemaname, tablename FROM pg_publication_tables
                         WHERE pubname = 'supabase_realtime' AND schemaname IN ('public', 'realtime') LOOP
                    EXECUTE format('ALTER PUBLICATION supabase_realtime DROP TABLE %I.%I', t.schemaname, t.tablename);
                END LOOP;
            END
            $$""",
            "DROP TRIGGER IF EXISTS chat_messages_notify ON public.chat_messages",
            "DROP FUNCTION IF EXISTS public.notify_new_message()",
            """
                    DO $$
                    DECLARE
                        realtime oid := to_regnamespace('realtime');
                        kind record;
                        objects text;
                    BEGIN
                        IF realtime IS NULL THEN
                            RETURN;
                        END IF;
                        IF to_regclass('realtime.flyway_schema_history') IS NOT NULL THEN
                            RAISE EXCEPTION 'schema realtime is ours already (realtime.flyway_schema_history), not Supabase Realtime''s';
                        END IF;
                        FOR kind IN SELECT * FROM (VALUES (1, 'VIEW', 'v'), (2, 'MATERIALIZED VIEW', 'm'), (3, 'TABLE', 'r'),
                                                          (4, 'SEQUENCE', 'S')) k (n, word, relkind) ORDER BY n LOOP
                            SELECT string_agg(format('%I.%I', 'realtime', c.relname), ', ') INTO objects FROM pg_class c
                            WHERE c.relnamespace = realtime AND c.relkind IN (kind.relkind, CASE kind.relkind WHEN 'r' THEN 'p' END)
                              AND NOT c.relispartition
                              -- extensions' members, identity and serial sequences go with their owner
                              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                              AND d.deptype IN ('e', 'a', 'i'));
                            IF objects IS NOT NULL THEN
                                EXECUTE 'DROP ' || kind.word || ' ' || objects;
                            END IF;
                        END LOOP;
                        SELECT string_agg(format('%I.%I(%s)', 'realtime', p.proname, pg_get_function_identity_arguments(p.oid)), ', ')
                        INTO objects FROM pg_proc p
                        WHERE p.pronamespace = realtime
                          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                                          AND d.deptype = 'e');
                        IF objects IS NOT NULL THEN
                            EXECUTE 'DROP ROUTINE ' || objects;
                        END IF;
                        FOR kind IN SELECT * FROM (VALUES (1, 'TYPE'), (2, 'DOMAIN')) k (n, word) ORDER BY n LOOP
                            SELECT string_agg(format('%I.%I', 'realtime', t.typname), ', ') INTO objects FROM pg_type t
                            WHERE t.typnamespace = realtime
                              AND CASE kind.word WHEN 'DOMAIN' THEN t.typtype = 'd'
                                  ELSE t.typtype = 'e' OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c') END
                              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid
                                              AND d.deptype = 'e');
                            IF objects IS NOT NULL THEN
                                EXECUTE 'DROP ' || kind.word || ' ' || objects;
                            END IF;
                        END LOOP;
                    END
                    $$""");

    /** N1, C1, C2, the kept jobs, the moved tables: one transaction; no CASCADE, so nothing unlisted goes with them. */
    static final List<String> CLEANUP = List.of(
            // pg_cron: the license check (N1) and the user-presence sweep (C2) go
            """
                    DO $$
                    BEGIN
                        IF to_regclass('cron.job') IS NULL THEN
                            RETURN;
                        END IF;
                        IF EXISTS (SELECT 1 FROM cron.job WHERE jobname = 'check-expired-licenses') THEN
                            PERFORM cron.unschedule('check-expired-licenses');
                        END IF;
                        IF EXISTS (SELECT 1 FROM cron.job WHERE jobname = 'clear-stale-presence') THEN
                            PERFORM cron.unschedule('clear-stale-presence');
                        END IF;
                        -- kept on pg_cron, pointed at our functions (where pg_cron is installed here, our recordings
                        -- migration has done this already: same names, our commands)
                        IF EXISTS (SELECT 1 FROM cron.job WHERE jobname = 'reconcile-stale-recordings' AND command NOT LIKE '%recordings.%') THEN
                            -- the call our recordings migrations schedule: without arguments once the function reads its
                            -- limits from recordings.job_settings, with the age limit before
                            PERFORM cron.schedule('reconcile-stale-recordings', '*/5 * * * *',
                                'SET ROLE recordings_owner; SELECT ' || CASE
                                    WHEN to_regprocedure('recordings.reconcile_stale_recordings()') IS NOT NULL
                                        THEN 'recordings.reconcile_stale_recordings()'
                                    ELSE 'recordings.reconcile_stale_recordings(interval ''30 minutes'')' END);
                        END IF;
                        IF EXISTS (SELECT 1 FROM cron.job WHERE jobname = 'purge-expired-recordings' AND command NOT LIKE '%recordings.%') THEN
                            PERFORM cron.schedule('purge-expired-recordings', '17 3 * * *',
                                $job$SET ROLE recordings_owner; SELECT recordings.purge_expired_recordings()$job$);
                        END IF;
                        -- paused while adopt worked (pause-old-jobs); cron.schedule left them so
                        PERFORM cron.alter_job(jobid, active := true) FROM cron.job
                        WHERE database = current_database() AND NOT active
                          AND jobname IN ('reconcile-stale-recordings', 'purge-expired-recordings');
                    END
                    $$""",
            // N1: the hook's secrets
            """
                    DO $$
                    BEGIN
                        IF to_regclass('vault.secrets') IS NOT NULL THEN
                            DELETE FROM vault.secrets WHERE name IN ('license_webhook_secret', 'backend_url');
                        END IF;
                    END
                    $$""",
            // C1: policies, RLS
            "DROP POLICY IF EXISTS organizations_select_member ON public.organizations",
            "DROP POLICY IF EXISTS users_select_colleague ON public.users",
            "DROP POLICY IF EXISTS user_orgs_select_member ON public.user_orgs",
            "DROP POLICY IF EXISTS rooms_select_member ON public.rooms",
            "DROP POLICY IF EXISTS rooms_insert_admin ON public.rooms",
            "DROP POLICY IF EXISTS chat_messages_select_member ON public.chat_messages",
            "DROP POLICY IF EXISTS chat_messages_insert_author ON public.chat_messages",
            "DROP POLICY IF EXISTS recordings_select_member ON public.recordings",
            "DROP POLICY IF EXISTS room_presence_select_member ON public.room_presence",
            "DROP POLICY IF EXISTS user_presence_select_member ON public.user_presence",
            """
                    DO $$
                    DECLARE
                        t regclass;
                    BEGIN
                        FOR t IN SELECT c.oid FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relrowsecurity LOOP
                            EXECUTE format('ALTER TABLE %s DISABLE ROW LEVEL SECURITY', t);
                        END LOOP;
                    END
                    $$""",
            // C1: the trigger set (rate limits are the app's now; reply counts and touch go with the old tables)
            "DROP TRIGGER IF EXISTS rooms_enforce_defaults ON public.rooms",
            "DROP TRIGGER IF EXISTS chat_messages_enforce_defaults ON public.chat_messages",
            "DROP TRIGGER IF EXISTS chat_messages_rate_limit ON public.chat_messages",
            "DROP TRIGGER IF EXISTS rooms_rate_limit ON public.rooms",
            "DROP TRIGGER IF EXISTS chat_messages_reply_count ON public.chat_messages",
            "DROP TRIGGER IF EXISTS organizations_touch ON public.organizations",
            "DROP TRIGGER IF EXISTS users_touch ON public.users",
            "DROP TRIGGER IF EXISTS rooms_touch ON public.rooms",
            "DROP TRIGGER IF EXISTS chat_messages_touch ON public.chat_messages",
            "DROP TRIGGER IF EXISTS recordings_touch ON public.recordings",
            "DROP FUNCTION IF EXISTS public.enforce_defaults()",
            "DROP FUNCTION IF EXISTS public.enforce_message_rate_limit()",
            "DROP FUNCTION IF EXISTS public.enforce_room_rate_limit()",
            "DROP FUNCTION IF EXISTS public.update_reply_count()",
            "DROP FUNCTION IF EXISTS public.touch_updated_at()",
            // C1: the 9 RPCs, then the JWT helpers they and the policies used
            "DROP FUNCTION IF EXISTS public.create_room(uuid, text)",
            "DROP FUNCTION IF EXISTS public.delete_room(uuid)",
            "DROP FUNCTION IF EXISTS public.post_message(uuid, text, uuid)",
            "DROP FUNCTION IF EXISTS public.edit_message(uuid, text)",
            "DROP FUNCTION IF EXISTS public.list_thread(uuid)",
            "DROP FUNCTION IF EXISTS public.join_room_presence(uuid, text)",
            "DROP FUNCTION IF EXISTS public.leave_room_presence(uuid, text)",
            "DROP FUNCTION IF EXISTS public.set_user_presence(text)",
            "DROP FUNCTION IF EXISTS public.get_org_license(uuid)",
            "DROP FUNCTION IF EXISTS public.is_org_member(uuid)",
            "DROP FUNCTION IF EXISTS public.is_org_admin(uuid)",
            "DROP FUNCTION IF EXISTS public.jwt_org_id()",
            "DROP FUNCTION IF EXISTS public.jwt_org_role()",
            // N1: the license hook; C2: the presence sweep; the old recordings jobs' functions
            "DROP FUNCTION IF EXISTS public.notify_license_expired()",
            "DROP FUNCTION IF EXISTS public.clear_stale_presence()",
            "DROP FUNCTION IF EXISTS public.reconcile_stale_recordings()",
            "DROP FUNCTION IF EXISTS public.purge_expired_recordings()",
            // N1, C2, and the moved tables, children first
            "DROP TABLE IF EXISTS public.user_licenses",
            "DROP TABLE IF EXISTS public.org_licenses",
            "DROP TABLE IF EXISTS public.subscription_link",
            "DROP TABLE IF EXISTS public.user_presence",
            "DROP TABLE IF EXISTS public.room_presence",
            "DROP TABLE IF EXISTS public.recordings",
            "DROP TABLE IF EXISTS public.chat_messages",
            "DROP TABLE IF EXISTS public.rooms",
            "DROP TABLE IF EXISTS public.user_orgs",
            "DROP TABLE IF EXISTS public.users",
            "DROP TABLE IF EXISTS public.organizations",
            "DROP TABLE IF EXISTS public.eventsync_cursor",
            // C1: PostgREST's roles keep no way into public
            "REVOKE ALL ON SCHEMA public FROM anon, authenticated");
}
