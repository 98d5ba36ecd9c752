package dev.huddle.migrations;

import java.util.Map;

import io.smallrye.config.ConfigMapping;

/** Settings of the migrations app (the Kubernetes Job that runs before a rollout). */
@ConfigMapping(prefix = "huddle.migrations")
public interface MigrationsConfig {

    /**
     * Where to migrate, as a login allowed to create roles: {@code postgresql://user:password@host:port/db}.
     * Environment: {@code PG_ADMIN_URL}.
     */
    String adminUrl();

    /**
     * Passwords to set on the services' login roles, by schema ({@code core}, {@code billing}, {@code realtime},
     * {@code recordings}). A schema left out keeps its role's current password. Environment:
     * {@code CORE_DB_PASSWORD}, {@code BILLING_DB_PASSWORD}, {@code REALTIME_DB_PASSWORD},
     * {@code RECORDINGS_DB_PASSWORD}.
     */
    Map<String, String> appPasswords();

    /**
     * {@code statement_timeout} set on the services' login roles in the migrated database, by schema (PostgreSQL
     * durations: {@code 15s}, {@code 500ms}). A schema left out keeps its role's setting. Environment:
     * {@code CORE_DB_STATEMENT_TIMEOUT}, {@code BILLING_DB_STATEMENT_TIMEOUT}, {@code REALTIME_DB_STATEMENT_TIMEOUT},
     * {@code RECORDINGS_DB_STATEMENT_TIMEOUT}.
     */
    Map<String, String> statementTimeouts();
}
