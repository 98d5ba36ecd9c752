package dev.huddle.migrations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The Job run before every rollout. {@code migrate} (the default) applies roles and every schema's migrations, then
 * the services' roles' {@code statement_timeout};
 * {@code validate} checks that the database is fully migrated and no applied migration was edited; {@code snapshot
 * [--out FILE]} writes the Gate 0 inventory of the database ({@link Snapshot}) to standard output or FILE; {@code verify}
 * compares the database with what our migrations produce and names each difference; {@code adopt [--plan]
 * [--known FILE] [--report FILE] [--batch ROWS]} moves the pre-restructure database onto our layout
 * ({@link Adoption}). Logs go to standard error.
 * <p>
 * Exit codes: 0 only when the command's work is done; 1 when it failed (a migration failed, the database is not
 * fully migrated, drift); 2 when it could not start: bad usage, or a {@code PG_ADMIN_URL} that is missing, malformed
 * or does not let us in; 3 when {@code adopt}'s guard stopped it before any change.
 */
@QuarkusMain
public class MigrationsApp implements QuarkusApplication {

    static final int DONE = 0;
    static final int FAILED = 1;
    static final int UNUSABLE = 2;
    static final int STOPPED = 3;

    static final List<String> COMMANDS = List.of("migrate", "validate", "snapshot", "verify", "adopt");

    private static final Logger LOG = Logger.getLogger(MigrationsApp.class);

    private final MigrationsConfig config;

    public MigrationsApp(MigrationsConfig config) {
        this.config = config;
    }

    @Override
    public int run(String... args) {
        String command = args.length == 0 ? "migrate" : args[0];
        if (!COMMANDS.contains(command)) {
            LOG.errorf("unknown command '%s'; use one of %s", command, String.join(", ", COMMANDS));
            return UNUSABLE;
        }
        Map<String, String> options;
        try {
            options = options(command, args);
        } catch (IllegalArgumentException e) {
            LOG.error(e.getMessage());
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
                case "migrate" -> {
                    migrator.migrate(config.appPasswords().given());
                    migrator.setStatementTimeouts(config.statementTimeouts().given());
                }
                case "validate" -> migrator.validate();
                case "snapshot" ->
                    write(Migrator.snapshot(admin).text(), Optional.ofNullable(options.get("--out")).map(Path::of));
                case "adopt" -> {
                    return adopt(admin, options);
                }
                case "verify" -> {
                    List<String> drift = migrator.verify();
                    if (!drift.isEmpty()) {
                        LOG.errorf("verify: %d difference(s) between %s and what our migrations produce"
                                + " (- missing here, + not made by our migrations):%n%s", drift.size(), admin,
                                String.join(System.lineSeparator(), drift));
                        return FAILED;
                    }
                }
                default -> throw new IllegalStateException("unhandled command " + command);
            }
            LOG.infof("%s: done", command);
            return DONE;
        } catch (IOException e) {
            LOG.errorf("%s failed: cannot write: %s", command, e.getMessage());
            return FAILED;
        } catch (RuntimeException e) {
            LOG.errorf("%s failed: %s", command, e.getMessage());
            return FAILED;
        }
    }

    /** The options each command takes; a value-less option maps to "true". */
    private static final Map<String, List<String>> OPTIONS = Map.of("migrate", List.of(), "validate", List.of(), "verify",
            List.of(), "snapshot", List.of("--out="), "adopt", List.of("--plan", "--known=", "--report=", "--batch="));

    /** The options after the command ({@code args[0]}, when there is one). */
    private static Map<String, String> options(String command, String... args) {
        Map<String, String> options = new HashMap<>();
        List<String> allowed = OPTIONS.get(command);
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (allowed.contains(arg)) {
                options.put(arg, "true");
            } else if (allowed.contains(arg + "=") && i + 1 < args.length) {
                options.put(arg, args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' for " + command
                        + "; usage: migrate | validate | verify | snapshot [--out FILE]"
                        + " | adopt [--plan] [--known FILE] [--report FILE] [--batch ROWS]");
            }
        }
        return options;
    }

    /** The guarded adoption of the pre-restructure database; exit code 3 when the guard stops it. */
    private static int adopt(PgUrl admin, Map<String, String> options) throws IOException {
        int batch = Integer.parseInt(options.getOrDefault("--batch", "10000"));
        Adoption adoption = new Adoption(admin, LegacyObjects.load(Optional.ofNullable(options.get("--known")).map(Path::of)),
                batch, LOG::info);
        Adoption.Result result = adoption.run(options.containsKey("--plan"));
        switch (result.outcome()) {
            case STOPPED_BY_GUARD -> {
                LOG.errorf("adopt stopped before changing anything: %d object(s) the guard does not know; a person must"
                        + " look at each (docs/ADOPTION.md):%n%s", result.unknown().size(),
                        String.join(System.lineSeparator(), result.unknown().stream().map(l -> "  unknown: " + l).toList()));
                return STOPPED;
            }
            case PLANNED -> {
                write(result.text(), Optional.empty());
                LOG.info("adopt --plan: done, nothing changed");
            }
            case DONE -> {
                Path report = Path.of(options.getOrDefault("--report", "huddle-adoption-report.txt"));
                write(result.text(), Optional.of(report));
                LOG.infof("adopt: done; report in %s:%n%s", report.toAbsolutePath(), result.text());
            }
        }
        return DONE;
    }

    private static void write(String text, Optional<Path> out) throws IOException {
        if (out.isPresent()) {
            Files.writeString(out.get(), text, StandardCharsets.UTF_8);
        } else {
            System.out.print(text);
            System.out.flush();
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
