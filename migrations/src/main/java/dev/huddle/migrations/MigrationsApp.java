package dev.huddle.migrations;

import java.sql.Connection;
import java.sql.SQLException;

import org.jboss.logging.Logger;

import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The Job run before every rollout. {@code migrate} (the default) applies roles and every schema's migrations;
 * {@code validate} checks that the database is fully migrated and no applied migration was edited.
 * <p>
 * Exit codes: 0 only when the command's work is done; 1 when it failed (a migration failed, the database is not
 * fully migrated); 2 when it could not start: bad usage, or a {@code PG_ADMIN_URL} that is missing, malformed or
 * does not let us in.
 */
@QuarkusMain
public class MigrationsApp implements QuarkusApplication {

    static final int DONE = 0;
    static final int FAILED = 1;
    static final int UNUSABLE = 2;

    private static final Logger LOG = Logger.getLogger(MigrationsApp.class);

    private final MigrationsConfig config;

    public MigrationsApp(MigrationsConfig config) {
        this.config = config;
    }

    @Override
    public int run(String... args) {
        String command = args.length == 0 ? "migrate" : args[0];
        if (!command.equals("migrate") && !command.equals("validate")) {
            LOG.errorf("unknown command '%s'; use migrate or validate", command);
            return UNUSABLE;
        }
        PgUrl admin;
        try {
            admin = adminUrl();
            checkConnection(admin);
        } catch (UnusableAdminUrl e) {
            LOG.error(e.getMessage());
            return UNUSABLE;
        }
        Migrator migrator = new Migrator(admin);
        try {
            switch (command) {
                case "migrate" -> migrator.migrate(config.appPasswords().given());
                default -> migrator.validate();
            }
            LOG.infof("%s: done", command);
            return DONE;
        } catch (RuntimeException e) {
            LOG.errorf("%s failed: %s", command, e.getMessage());
            return FAILED;
        }
    }

    private PgUrl adminUrl() {
        String url = config.adminUrl().filter(u -> !u.isBlank()).orElseThrow(() -> new UnusableAdminUrl(
                "PG_ADMIN_URL is not set: give a postgresql://user:password@host:port/database URL of a login allowed to create roles"));
        try {
            return PgUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new UnusableAdminUrl("PG_ADMIN_URL is not a usable PostgreSQL URL (" + e.getMessage()
                    + "): expected postgresql://user:password@host:port/database");
        }
    }

    /** Fails fast, with the reason, when the URL does not lead to a session: no half-started command. */
    private static void checkConnection(PgUrl admin) {
        try (Connection c = Databases.connect(admin)) {
            if (!c.isValid(10)) {
                throw new UnusableAdminUrl("cannot use PG_ADMIN_URL " + admin + ": the connection is not usable");
            }
        } catch (SQLException e) {
            throw new UnusableAdminUrl("cannot connect with PG_ADMIN_URL " + admin + ": " + e.getMessage());
        }
    }

    /** PG_ADMIN_URL missing, malformed, or not letting us in: exit code 2. */
    private static final class UnusableAdminUrl extends RuntimeException {
        UnusableAdminUrl(String message) {
            super(message);
        }
    }
}
