package dev.huddle.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.huddle.migrations.Migrator;
import dev.huddle.migrations.PgUrl;
import dev.huddle.testing.MigratedDatabase;
import dev.huddle.testing.PackagedApp;
import dev.huddle.testing.PostgresServer;

/**
 * A fresh database for one scenario, migrated by the packaged migrations app, and its reproducible data: one org
 * with {@link #USERS} members and {@link #ROOMS} rooms, and as many messages as asked. Every id is
 * {@code md5('<kind>-<n>')::uuid}, computed the same way here and in the SQL (no random numbers), so two runs
 * hold the same rows and a pgbench script can name a row without a lookup.
 */
final class BenchDatabase {

    static final int USERS = 32;
    static final int ROOMS = 32;
    static final UUID ORG = id("bench-org");

    final MigratedDatabase db;

    private BenchDatabase(MigratedDatabase db) {
        this.db = db;
    }

    /** Creates database {@code bench_<name>_...} on the server and runs {@code quarkus-run.jar migrate} on it. */
    static BenchDatabase create(PgUrl server, String name) throws IOException, InterruptedException {
        PgUrl url = PostgresServer.createDatabase(server, "bench_" + name.replace('-', '_'));
        Path log = Path.of("bench/target/logs/migrations-" + url.database() + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = PackagedApp
                .process(PackagedApp.folder(Path.of(""), "migrations"), List.of(), PackagedApp.Archive.REQUIRED,
                        "migrate")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("PG_ADMIN_URL", url.withCredentials());
        for (String schema : Migrator.SCHEMAS) {
            pb.environment().put(schema.toUpperCase() + "_DB_PASSWORD", MigratedDatabase.localPassword(schema));
        }
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("the migrations app failed on " + url.database() + "; see " + log);
        }
        return new BenchDatabase(new MigratedDatabase(url));
    }

    PgUrl admin() {
        return db.admin();
    }

    PgUrl as(String schema) {
        return db.as(schema);
    }

    static UUID id(String name) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(name.getBytes(StandardCharsets.UTF_8));
            String hex = HexFormat.of().formatHex(md5);
            return UUID.fromString(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                    + hex.substring(16, 20) + "-" + hex.substring(20));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static UUID user(int n) {
        return id("bench-user-" + n);
    }

    static UUID room(int n) {
        return id("bench-room-" + n);
    }

    static String workosUser(int n) {
        return "user_bench_" + n;
    }

    /** The org, its members (user 0 owns it) and its rooms. */
    void tenant() throws SQLException {
        exec("""
                INSERT INTO core.organizations (id, workos_org_id, name) VALUES (md5('bench-org')::uuid, 'org_bench', 'Bench');
                INSERT INTO core.users (id, workos_user_id, email, display_name)
                  SELECT md5('bench-user-' || n)::uuid, 'user_bench_' || n, 'bench' || n || '@huddle.test', 'Bench ' || n
                  FROM generate_series(0, %1$d - 1) n;
                INSERT INTO core.memberships (org_id, user_id, role, status)
                  SELECT md5('bench-org')::uuid, md5('bench-user-' || n)::uuid,
                         CASE WHEN n = 0 THEN 'owner' ELSE 'member' END, 'active'
                  FROM generate_series(0, %1$d - 1) n;
                INSERT INTO core.rooms (id, org_id, name, livekit_room_name, created_by)
                  SELECT md5('bench-room-' || n)::uuid, md5('bench-org')::uuid, 'Room ' || n, 'bench-room-' || n,
                         md5('bench-user-0')::uuid
                  FROM generate_series(0, %2$d - 1) n;
                """.formatted(USERS, ROOMS));
    }

    /**
     * Messages {@code from..to} (1-based) of room 0, top-level, one second apart, written by the members in turn;
     * one INSERT ... SELECT generate_series (foreign-key triggers skipped: the rows are valid by construction), then
     * VACUUM ANALYZE, as a table that grew through the API would be.
     */
    void messages(long from, long to) throws SQLException {
        exec("""
                SET session_replication_role = replica;
                INSERT INTO core.messages (id, org_id, room_id, author_id, body, created_at, updated_at)
                  SELECT md5('bench-msg-' || i)::uuid, md5('bench-org')::uuid, md5('bench-room-0')::uuid,
                         md5('bench-user-' || (i %% %3$d))::uuid,
                         'message ' || i || ': ' || repeat('lorem ipsum ', 1 + (i %% 8)::int),
                         timestamptz '2026-01-01 00:00:00+00' + i * interval '1 second',
                         timestamptz '2026-01-01 00:00:00+00' + i * interval '1 second'
                  FROM generate_series(%1$d::bigint, %2$d::bigint) i;
                SET session_replication_role = origin;
                """.formatted(from, to, USERS));
        exec("VACUUM ANALYZE core.messages");
    }

    void exec(String sql) throws SQLException {
        try (Connection c = PostgresServer.connect(admin()); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = PostgresServer.connect(admin());
                Statement st = c.createStatement();
                var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void drop(PgUrl server) {
        PostgresServer.dropDatabase(server, admin().database());
    }
}
