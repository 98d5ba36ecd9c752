package dev.huddle.testing;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.huddle.migrations.Migrator;
import dev.huddle.migrations.PgUrl;

/**
 * A database with every migration applied and each service's {@code _app} role given a known local password:
 * what each test run and the local stack work on.
 *
 * @param admin the database, as the admin login that migrated it
 */
public record MigratedDatabase(PgUrl admin) {

    /** Creates a fresh database on {@code server} and migrates it. */
    public static MigratedDatabase create(PgUrl server, String prefix) {
        PgUrl db = PostgresServer.createDatabase(server, prefix);
        return migrate(db);
    }

    /** Migrates an existing database (the local stack's, kept between runs). */
    public static MigratedDatabase migrate(PgUrl db) {
        new Migrator(db).migrate(localPasswords());
        return new MigratedDatabase(db);
    }

    /**
     * The password of a service's role on local throwaway servers (tests, the local stack). Deployed databases get
     * theirs from Secrets through the migrations app.
     */
    public static String localPassword(String schema) {
        return "local-" + schema + "-app";
    }

    /** The same database as service {@code schema} logs in to it. */
    public PgUrl as(String schema) {
        return admin.as(Migrator.appRole(schema), localPassword(schema));
    }

    private static Map<String, String> localPasswords() {
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String schema : Migrator.SCHEMAS) {
            passwords.put(schema, localPassword(schema));
        }
        return passwords;
    }
}
