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
     */
    AppPasswords appPasswords();

    /** One password per service schema's {@code _app} role. */
    interface AppPasswords {

        /** For {@code core_app}. Environment: {@code CORE_DB_PASSWORD}. */
        Optional<String> core();

        /** For {@code billing_app}. Environment: {@code BILLING_DB_PASSWORD}. */
        Optional<String> billing();

        /** For {@code realtime_app}. Environment: {@code REALTIME_DB_PASSWORD}. */
        Optional<String> realtime();

        /** For {@code recordings_app}. Environment: {@code RECORDINGS_DB_PASSWORD}. */
        Optional<String> recordings();

        /** Schema -> password, for the schemas given one. */
        default Map<String, String> given() {
            Map<String, String> given = new LinkedHashMap<>();
            core().ifPresent(p -> given.put("core", p));
            billing().ifPresent(p -> given.put("billing", p));
            realtime().ifPresent(p -> given.put("realtime", p));
            recordings().ifPresent(p -> given.put("recordings", p));
            return given;
        }
    }
}
