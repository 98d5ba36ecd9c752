package dev.huddle.migrations;

import java.util.Map;
import java.util.function.Supplier;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points the migrations app under test at a database of its own: a fresh empty one (init arg {@code url} absent),
 * the pre-restructure fixture with 1,000 messages ({@code legacy}), or a deliberately unusable URL ({@code wrong-password},
 * {@code malformed}) on the same server.
 */
public class ScratchDatabaseResource implements QuarkusTestResourceLifecycleManager {

    /** What the app under test reads PG_ADMIN_URL into; a system property of the launched jar beats the env. */
    static final String URL_PROPERTY = "huddle.migrations.admin-url";

    /**
     * The scratch database, for the test's assertions. A main integration test starts its resources again for each
     * launch: the database is made once and kept across the launches of the test class, which drops it
     * ({@link #dropCurrent}).
     */
    private static PgUrl current;

    private String mode;

    @Override
    public void init(Map<String, String> initArgs) {
        mode = initArgs.getOrDefault("url", "empty");
    }

    @Override
    public Map<String, String> start() {
        PgUrl server = TestServer.shared();
        return switch (mode) {
            case "empty" -> Map.of(URL_PROPERTY, current(() -> Databases.create(server, "huddle_test_app")).withCredentials());
            case "legacy" -> Map.of(URL_PROPERTY,
                    current(() -> LegacyFixture.create("huddle_test_legacy_app", 1_000)).withCredentials());
            case "wrong-password" -> Map.of(URL_PROPERTY,
                    server.as(server.user(), "not-the-password").withCredentials());
            case "malformed" -> Map.of(URL_PROPERTY, "postgresql://postgres:s3cret@db host:5432/postgres");
            default -> throw new IllegalArgumentException("unknown url mode " + mode);
        };
    }

    @Override
    public void stop() {
        // kept for the next launch of the same test class: see current
    }

    static synchronized PgUrl current() {
        return current;
    }

    static synchronized void dropCurrent() {
        if (current != null) {
            Databases.drop(TestServer.shared(), current.database());
            current = null;
        }
    }

    private static synchronized PgUrl current(Supplier<PgUrl> make) {
        if (current == null) {
            current = make.get();
        }
        return current;
    }
}
