package dev.huddle.migrations;

import java.util.HashMap;
import java.util.Map;

import org.jboss.logging.Logger;

import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * {@code migrate} (the default) applies roles and every schema's migrations, then the services' roles'
 * {@code statement_timeout}; {@code validate} checks that the
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
                case "migrate" -> {
                    migrator.migrate(nonBlank(config.appPasswords()));
                    migrator.setStatementTimeouts(nonBlank(config.statementTimeouts()));
                }
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

    private static Map<String, String> nonBlank(Map<String, String> bySchema) {
        Map<String, String> set = new HashMap<>();
        bySchema.forEach((schema, value) -> {
            if (!value.isBlank()) {
                set.put(schema, value);
            }
        });
        return set;
    }
}
