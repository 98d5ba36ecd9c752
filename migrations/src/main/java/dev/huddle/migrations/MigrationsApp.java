package dev.huddle.migrations;

import java.util.HashMap;
import java.util.Map;

import org.jboss.logging.Logger;

import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * {@code migrate} (the default) applies roles and every schema's migrations; {@code validate} checks that the
 * database is fully migrated and no applied migration was edited. Exit code 0 on success, 1 on failure, 2 on
 * bad usage.
 */
@QuarkusMain
public class MigrationsApp implements QuarkusApplication {

    private static final Logger LOG = Logger.getLogger(MigrationsApp.class);

    private final MigrationsConfig config;

    public MigrationsApp(MigrationsConfig config) {
        this.config = config;
    }

    @Override
    public int run(String... args) {
        String command = args.length == 0 ? "migrate" : args[0];
        if (config.adminUrl().isBlank()) {
            LOG.error("PG_ADMIN_URL is not set: a postgresql:// URL of a login allowed to create roles");
            return 2;
        }
        Migrator migrator = new Migrator(PgUrl.parse(config.adminUrl()));
        try {
            switch (command) {
                case "migrate" -> migrator.migrate(passwords());
                case "validate" -> migrator.validate();
                default -> {
                    LOG.errorf("unknown command '%s'; use migrate or validate", command);
                    return 2;
                }
            }
            LOG.infof("%s: done", command);
            return 0;
        } catch (RuntimeException e) {
            LOG.errorf("%s failed: %s", command, e.getMessage());
            return 1;
        }
    }

    private Map<String, String> passwords() {
        Map<String, String> set = new HashMap<>();
        config.appPasswords().forEach((schema, password) -> {
            if (!password.isBlank()) {
                set.put(schema, password);
            }
        });
        return set;
    }
}
