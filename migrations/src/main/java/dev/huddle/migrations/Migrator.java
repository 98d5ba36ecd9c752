package dev.huddle.migrations;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jboss.logging.Logger;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Applies all DDL in order: the roles step, then each schema's Flyway migrations, each with its own history
 * table and run as that schema's owner role. Safe to run any number of times. Used by the migrations app, the
 * local stack and the test resource, so all three build the database the same way.
 */
public final class Migrator {

    /** Service schemas, in migration order: later schemas may reference earlier ones, never the reverse. */
    public static final List<String> SCHEMAS = List.of("core", "billing", "realtime", "recordings");

    private static final Logger LOG = Logger.getLogger(Migrator.class);
    private static final String ROLES_SCRIPT = "db/roles/roles.sql";

    private final PgUrl admin;

    /** @param admin a login allowed to create roles (superuser, or CREATEROLE as on Supabase) */
    public Migrator(PgUrl admin) {
        this.admin = admin;
    }

    /** The login role a service connects as. */
    public static String appRole(String schema) {
        return schema + "_app";
    }

    /**
     * Runs the roles step and every schema's pending migrations.
     *
     * @param appPasswords schema -> password to set on its {@code _app} role; schemas absent keep theirs
     * @return what ran, one line per schema
     */
    public List<String> migrate(Map<String, String> appPasswords) {
        List<String> report = new ArrayList<>();
        applyRoles(appPasswords);
        report.add("roles: ok");
        for (String schema : SCHEMAS) {
            MigrateResult result = flyway(schema).migrate();
            String line = schema + ": " + result.migrationsExecuted + " applied, at version "
                    + (result.targetSchemaVersion == null ? currentVersion(schema) : result.targetSchemaVersion);
            LOG.info(line);
            report.add(line);
        }
        return report;
    }

    /**
     * Sets {@code statement_timeout} on services' {@code _app} roles in this database ({@code ALTER ROLE ... IN
     * DATABASE ... SET}): a runaway query is cancelled by the server, whatever pooler is in between. The value is
     * PostgreSQL's ({@code 15s}, {@code 500ms}); schemas absent keep their role's setting.
     *
     * @param timeouts schema -> statement_timeout
     */
    public void setStatementTimeouts(Map<String, String> timeouts) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            for (var entry : timeouts.entrySet()) {
                if (!SCHEMAS.contains(entry.getKey())) {
                    throw new IllegalArgumentException("no such schema: " + entry.getKey());
                }
                try (var ps = c.prepareStatement(
                        "SELECT format('ALTER ROLE %I IN DATABASE %I SET statement_timeout = %L', ?, current_database(), ?)")) {
                    ps.setString(1, appRole(entry.getKey()));
                    ps.setString(2, entry.getValue().trim());
                    try (var rs = ps.executeQuery()) {
                        rs.next();
                        st.execute(rs.getString(1));
                    }
                }
                LOG.infof("%s: statement_timeout %s", appRole(entry.getKey()), entry.getValue().trim());
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("statement timeouts not set: " + e.getMessage(), e);
        }
    }

    /** Validates that every schema is fully migrated and no applied migration was edited. */
    public void validate() {
        for (String schema : SCHEMAS) {
            flyway(schema).validate();
        }
    }

    /**
     * The pg_cron jobs our migrations schedule where pg_cron is in the database (db/recordings V2, the command of
     * reconcile-stale-recordings as V5 left it), as {@link #verify} compares them: {@code cron-job <name>
     * schedule=<schedule> command=<command>}.
     */
    static final List<String> CRON_JOBS = List.of(
            "cron-job purge-expired-recordings schedule=17 3 * * * command=SET ROLE recordings_owner;"
                    + " SELECT recordings.purge_expired_recordings()",
            "cron-job reconcile-stale-recordings schedule=*/5 * * * * command=SET ROLE recordings_owner;"
                    + " SELECT recordings.reconcile_stale_recordings()");

    /**
     * Compares this database with what our migrations produce: checks that every schema is fully migrated and
     * unedited, migrates a scratch database on the same server (needs CREATEDB; dropped afterwards) and compares the
     * snapshots of our schemas; then, where pg_cron's {@code cron.job} is in this database, compares its jobs of this
     * database (name, schedule, command) with {@link #CRON_JOBS} (the scratch database has no pg_cron: it runs in one
     * database of a server).
     *
     * @return each difference, {@code -} for what the database lacks, {@code +} for what it has in excess; empty when
     *         there is no drift
     */
    public List<String> verify() {
        validate();
        PgUrl scratch = Databases.create(admin, "huddle_verify");
        Snapshot expected;
        try {
            new Migrator(scratch).migrate(Map.of());
            expected = snapshot(scratch).inSchemas(Set.copyOf(SCHEMAS));
        } finally {
            Databases.drop(admin, scratch.database());
        }
        List<String> drift = new ArrayList<>(expected.differences(snapshot(admin).inSchemas(Set.copyOf(SCHEMAS))));
        drift.addAll(cronJobDrift());
        return drift;
    }

    /** The pg_cron jobs of this database against {@link #CRON_JOBS}; none expected where cron.job is not here. */
    private List<String> cronJobDrift() {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            List<String> jobs = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT to_regclass('cron.job') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return List.of();
                }
            }
            try (ResultSet rs = st.executeQuery("""
                    SELECT 'cron-job ' || coalesce(jobname, '#' || jobid) || ' schedule=' || schedule || ' command=' || command
                    FROM cron.job WHERE database = current_database()""")) {
                while (rs.next()) {
                    jobs.add(rs.getString(1).replaceAll("\\s+", " ").strip());
                }
            }
            return Snapshot.of(CRON_JOBS).differences(Snapshot.of(jobs));
        } catch (SQLException e) {
            throw new IllegalStateException("pg_cron jobs not read: " + e.getMessage(), e);
        }
    }

    /** Takes the Gate 0 snapshot of the database at {@code url}. */
    public static Snapshot snapshot(PgUrl url) {
        try (Connection c = Databases.connect(url)) {
            return Snapshot.take(c);
        } catch (SQLException e) {
            throw new IllegalStateException("snapshot of " + url + " failed: " + e.getMessage(), e);
        }
    }

    private String currentVersion(String schema) {
        var current = flyway(schema).info().current();
        return current == null ? "none" : current.getVersion().getVersion();
    }

    private Flyway flyway(String schema) {
        return Flyway.configure()
                .dataSource(dataSource())
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(false)
                .table("flyway_schema_history")
                .locations("classpath:db/" + schema)
                .initSql("SET ROLE " + schema + "_owner")
                .validateMigrationNaming(true)
                .load();
    }

    private void applyRoles(Map<String, String> appPasswords) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute(readScript(ROLES_SCRIPT));
            for (var entry : appPasswords.entrySet()) {
                if (!SCHEMAS.contains(entry.getKey())) {
                    throw new IllegalArgumentException("no such schema: " + entry.getKey());
                }
                // ALTER ROLE takes no bind parameters; quote_literal does the escaping server-side.
                try (var ps = c.prepareStatement("SELECT format('ALTER ROLE %I PASSWORD %L', ?, ?)")) {
                    ps.setString(1, appRole(entry.getKey()));
                    ps.setString(2, entry.getValue());
                    try (var rs = ps.executeQuery()) {
                        rs.next();
                        st.execute(rs.getString(1));
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("roles step failed: " + e.getMessage(), e);
        }
    }

    private Connection connect() throws SQLException {
        return Databases.connect(admin);
    }

    /** A data source straight on the driver (not DriverManager, which depends on the caller's class loader). */
    private PGSimpleDataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(admin.jdbcUrl());
        ds.setUser(admin.user());
        admin.password().ifPresent(ds::setPassword);
        return ds;
    }

    /** A classpath resource as text (SQL scripts, the adopt guard's list). */
    static String readScript(String resource) {
        try (InputStream in = Migrator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
