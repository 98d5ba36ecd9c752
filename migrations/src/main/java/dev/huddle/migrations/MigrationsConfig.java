package dev.huddle.migrations;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Settings of the migrations app (the Kubernetes Job that runs before a rollout). */
@ConfigMapping(prefix = "huddle.migrations")
public interface MigrationsConfig {

    /**
     * Where to migrate, as a login allowed to create roles: {@code postgresql://user:password@host:port/db}.
     * Environment: {@code PG_ADMIN_URL}. Unset: the app refuses to run (exit code 2).
     */
    Optional<String> adminUrl();

    /**
     * Passwords to set on the services' login roles. A role whose password is not given keeps its current one.
     * Environment: {@code CORE_DB_PASSWORD}, {@code BILLING_DB_PASSWORD}, {@code REALTIME_DB_PASSWORD},
     * {@code RECORDINGS_DB_PASSWORD}.
     */
    PerSchema appPasswords();

    /**
     * {@code statement_timeout} set on the services' login roles in the migrated database (PostgreSQL durations:
     * {@code 15s}, {@code 500ms}). A role not given one keeps its setting. Environment:
     * {@code CORE_DB_STATEMENT_TIMEOUT}, {@code BILLING_DB_STATEMENT_TIMEOUT}, {@code REALTIME_DB_STATEMENT_TIMEOUT},
     * {@code RECORDINGS_DB_STATEMENT_TIMEOUT}.
     */
    PerSchema statementTimeouts();

    /** One optional value per service schema, for its {@code _app} role. */
    interface PerSchema {

        /** For {@code core_app}. */
        Optional<String> core();

        /** For {@code billing_app}. */
        Optional<String> billing();

        /** For {@code realtime_app}. */
        Optional<String> realtime();

        /** For {@code recordings_app}. */
        Optional<String> recordings();

        /** Schema -> value, for the schemas given one. */
        default Map<String, String> given() {
            Map<String, String> given = new LinkedHashMap<>();
            core().ifPresent(v -> given.put("core", v));
            billing().ifPresent(v -> given.put("billing", v));
            realtime().ifPresent(v -> given.put("realtime", v));
            recordings().ifPresent(v -> given.put("recordings", v));
            return given;
        }
    }
}
