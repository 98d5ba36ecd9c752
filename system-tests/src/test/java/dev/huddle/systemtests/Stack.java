package dev.huddle.systemtests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.huddle.migrations.Migrator;
import dev.huddle.migrations.PgUrl;
import dev.huddle.testing.MigratedDatabase;
import dev.huddle.testing.PackagedApp;
import dev.huddle.testing.PostgresServer;
import dev.huddle.testing.StripeStub;

/**
 * The system under test: a fresh database on the tests' PostgreSQL server (PG_ADMIN_URL, else embedded), migrated
 * by the packaged migrations app; the stubs of Stripe, WorkOS, LiveKit, Centrifugo and S3; and the four packaged
 * services, each its own process on its own port as its own database role, in the prod profile with test settings.
 * One per test run (shared by the test classes through {@link SystemStack}); closed at the end of the run, when every
 * process is killed and the database dropped.
 */
public final class Stack implements AutoCloseable {

    public static final String LIVEKIT_API_KEY = "APIsystemtest";
    public static final String LIVEKIT_API_SECRET = "system-livekit-secret-0123456789abcdefghij";
    public static final String PROXY_SECRET = "system-centrifugo-proxy-secret";
    public static final String S3_BUCKET = "acme-recordings";
    static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    /**
     * How long {@link OutageIT}'s outside services fail: {@code -Doutage.seconds} (60 for the full run), 5 by default;
     * the services' retry budgets below outlast it.
     */
    public static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("outage.seconds", 5));
    /**
     * core-api's sign-in limit per credential and day: far above what a test spends, and refilling so slowly (one
     * token in 86 s) that the tokens a bucket lacks count the calls made with that credential.
     */
    public static final int SIGN_IN_PER_CREDENTIAL = 1000;

    private final Path root;
    private final Path logs;
    private final PgUrl server;
    private final PgUrl database;
    public final WorkOsStub workos;
    public final StripeStub stripe;
    public final CentrifugoStub centrifugo;
    private final WireMockServer livekit;
    private final WireMockServer s3;
    public final ServiceProcess core;
    public final ServiceProcess billing;
    public final ServiceProcess realtime;
    public final ServiceProcess recordings;
    private final List<ServiceProcess> replicas = new ArrayList<>();
    private final Thread killer = new Thread(this::killAll, "system-tests-kill-services");

    private Stack() {
        this("system-tests", PostgresServer.shared(), PostgresServer.createDatabase(PostgresServer.shared(), "systest"),
                true);
    }

    /**
     * @param name the directory of the services' logs, under system-tests/target
     * @param server the PostgreSQL server of {@code database}
     * @param database the database the services run on; dropped on close
     * @param testDatabase whether the tests' own reads ({@code TestDatabase}) go to this database, as its admin
     */
    private Stack(String name, PgUrl server, PgUrl database, boolean testDatabase) {
        root = root();
        logs = root.resolve("system-tests/target").resolve(name);
        try {
            Files.createDirectories(logs);
            try (var old = Files.list(logs)) {
                for (Path log : old.toList()) {
                    Files.delete(log);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.server = server;
        this.database = database;
        if (testDatabase) {
            System.setProperty("huddle.test.db.admin-url", database.withCredentials());
        }
        workos = new WorkOsStub();
        stripe = new StripeStub();
        centrifugo = new CentrifugoStub();
        livekit = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        livekit.start();
        s3 = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        s3.start();
        s3.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(204)));
        MigratedDatabase roles = new MigratedDatabase(database);

        core = service("core-api", roles, Map.ofEntries(
                Map.entry("WORKOS_API_KEY", WorkOsStub.API_KEY),
                Map.entry("WORKOS_API_BASE", workos.baseUrl()),
                Map.entry("HUDDLE_WORKOS_SYNC_INTERVAL", "1s"),
                Map.entry("HUDDLE_WORKOS_SYNC_INITIAL_RECONCILIATION", "false"),
                Map.entry("HUDDLE_WORKOS_SYNC_BACKOFF_INITIAL", "500ms"),
                Map.entry("HUDDLE_WORKOS_SYNC_BACKOFF_MAX", "2s"),
                Map.entry("HUDDLE_PRESENCE_RECONCILE_ENABLED", "false"),
                Map.entry("HUDDLE_CHAT_RATE_LIMIT_MESSAGES", "100000"),
                Map.entry("HUDDLE_RATE_LIMITS_WRITES_REQUESTS", "100000"),
                // sign-in, as AuthKit's redirect lands on the SPA; a day's sign-in limits, so that the refreshes of
                // one token a test makes can be counted in the credential's bucket
                Map.entry("WORKOS_REDIRECT_URI", "https://app.example.test/auth/callback"),
                Map.entry("SESSION_ENCRYPTION_KEYS", "k1:" + randomKey()),
                Map.entry("HUDDLE_SESSIONS_WORKOS_TIMEOUT", "10s"),
                Map.entry("HUDDLE_RATE_LIMITS_SIGN_IN_PER_ADDRESS", "100000"),
                Map.entry("HUDDLE_RATE_LIMITS_SIGN_IN_PER_CREDENTIAL", String.valueOf(SIGN_IN_PER_CREDENTIAL)),
                Map.entry("HUDDLE_RATE_LIMITS_SIGN_IN_PERIOD", "PT24H")));
        billing = service("billing-service", roles, Map.ofEntries(
                Map.entry("STRIPE_API_KEY", StripeStub.API_KEY),
                Map.entry("STRIPE_WEBHOOK_SECRET", StripeStub.WEBHOOK_SECRET),
                Map.entry("STRIPE_API_BASE", stripe.baseUrl()),
                Map.entry("STRIPE_PRICE_ID", StripeStub.PRICE_ID),
                Map.entry("HUDDLE_STRIPE_READ_TIMEOUT", "PT10S"),
                Map.entry("HUDDLE_BILLING_INBOX_POLL_INTERVAL", "1s"),
                Map.entry("HUDDLE_BILLING_INBOX_BACKOFF_BASE", "PT0.5S"),
                Map.entry("HUDDLE_BILLING_INBOX_BACKOFF_MAX", "PT2S"),
                // a worker killed mid-batch gives its claimed events back this soon
                Map.entry("HUDDLE_BILLING_INBOX_LEASE", "PT5S"),
                // retries 2 s apart at most: an event outlives a Stripe outage of OUTAGE (and is not dead after it)
                Map.entry("HUDDLE_BILLING_INBOX_MAX_ATTEMPTS", String.valueOf(8 + OUTAGE.toSeconds())),
                Map.entry("HUDDLE_BILLING_SEATS_POLL_INTERVAL", "1s")));
        realtime = service("realtime-bridge", roles, Map.ofEntries(
                Map.entry("CENTRIFUGO_API_URL", centrifugo.apiUrl()),
                Map.entry("CENTRIFUGO_API_KEY", CentrifugoStub.API_KEY),
                Map.entry("CENTRIFUGO_TOKEN_HMAC_SECRET", CentrifugoStub.TOKEN_SECRET),
                Map.entry("OUTBOX_POLL_INTERVAL", "200ms"),
                Map.entry("OUTBOX_BACKOFF_BASE", "100ms"),
                Map.entry("OUTBOX_BACKOFF_MAX", "1s"),
                Map.entry("OUTBOX_BUSY_LEASE", "2s"),
                Map.entry("CENTRIFUGO_API_TIMEOUT", "2s")));
        recordings = service("recordings-service", roles, Map.ofEntries(
                Map.entry("RECORDINGS_JOBS_MODE", "off"),
                Map.entry("S3_ENDPOINT", "http://127.0.0.1:" + s3.port()),
                Map.entry("S3_BUCKET", S3_BUCKET),
                Map.entry("S3_ACCESS_KEY_ID", "system-access-key"),
                Map.entry("S3_SECRET_ACCESS_KEY", "system-secret-key"),
                Map.entry("S3_PATH_STYLE", "true"),
                Map.entry("RECORDINGS_STORAGE_POLL_INTERVAL", "1S")));
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * The run's stack, on the tests' PostgreSQL server: migrates with the packaged migrations app, then starts the four
     * services and waits until each is ready. Its database is the one {@code TestDatabase} reads.
     */
    static Stack start() {
        return start(new Stack());
    }

    /**
     * A stack of its own on {@code database} (made on {@link PostgresServer#shared()}; dropped on close), its logs in
     * system-tests/target/{@code name}: for a test whose services must run on data of its own making, such as an
     * adopted pre-restructure database. The migrations app migrates it first, as before every rollout.
     */
    static Stack startOn(String name, PgUrl database) {
        return start(new Stack(name, PostgresServer.shared(), database, false));
    }

    /**
     * A stack of its own on a new database of {@code server} (a test that stops that server uses its own), logging
     * to {@code system-tests/target/<name>/}; the test reads its database through {@link #database()}.
     */
    static Stack startOnServer(PgUrl server, String name) {
        return start(new Stack(name, server, PostgresServer.createDatabase(server, "systest"), false));
    }

    private static Stack start(Stack stack) {
        try {
            stack.migrate();
            for (ServiceProcess s : stack.services()) {
                s.start();
            }
            for (ServiceProcess s : stack.services()) {
                s.awaitReady(READY_TIMEOUT);
            }
            return stack;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    /** Starts again any service that is not running, and waits until it is ready. */
    void startStopped() {
        for (ServiceProcess s : services()) {
            if (!s.isAlive()) {
                s.start();
                s.awaitReady(READY_TIMEOUT);
            }
        }
    }

    public List<ServiceProcess> services() {
        return List.of(core, billing, realtime, recordings);
    }

    /** The system's database, as the admin that migrated it. */
    public PgUrl database() {
        return database;
    }

    /**
     * Another replica of {@code service}: the same configuration (database, role, keys) on a port of its own, logged
     * as {@code <module>-<n>}; not started. Killed with the stack if the test leaves it running.
     */
    public synchronized ServiceProcess replica(ServiceProcess service) {
        Map<String, String> env = new LinkedHashMap<>(service.environment());
        env.put("PORT", String.valueOf(ServiceProcess.freePort()));
        ServiceProcess replica = new ServiceProcess(service.module(),
                service.module() + "-" + (replicas.size() + 2), root, logs, env);
        replicas.add(replica);
        return replica;
    }

    public String livekitUrl() {
        return "http://127.0.0.1:" + livekit.port();
    }

    /** Kills {@code service} ({@code kill -9}), starts it again and waits until it is ready. */
    public void restart(ServiceProcess service) {
        service.kill();
        service.start();
        service.awaitReady(READY_TIMEOUT);
    }

    /**
     * Runs one step of a scenario; when it fails, the failure names the step and the service it exercised, and
     * carries that service's log tail.
     */
    public <T> T step(String name, ServiceProcess service, Supplier<T> action) {
        try {
            return action.get();
        } catch (AssertionError | RuntimeException e) {
            AssertionError failure = new AssertionError(
                    "step '" + name + "' failed at " + service.name() + ": " + e.getMessage() + "\n"
                            + service.logTail(60),
                    e);
            throw failure;
        }
    }

    public void step(String name, ServiceProcess service, Runnable action) {
        step(name, service, () -> {
            action.run();
            return null;
        });
    }

    /** Every service's log tail, for a failure no step attributed. */
    public String logTails(int lines) {
        StringBuilder out = new StringBuilder();
        for (ServiceProcess s : services()) {
            out.append(s.logTail(lines)).append('\n');
        }
        return out.toString();
    }

    private void migrate() {
        int exit = migrationsApp(database, logs.resolve("migrations.log"), "migrate");
        if (exit != 0) {
            throw new AssertionError("migrations exited with " + exit + "\n"
                    + ServiceProcess.tail(logs.resolve("migrations.log"), 60));
        }
    }

    /** The repository's root: the reactor's directory. */
    static Path root() {
        return Path.of(System.getProperty("huddle.system-tests.root", "..")).toAbsolutePath().normalize();
    }

    /**
     * Runs the packaged migrations app on {@code database} with {@code args}, as the Job runs it (the services' roles
     * get their local passwords), its output in {@code log}; returns its exit code.
     */
    static int migrationsApp(PgUrl database, Path log, String... args) {
        ProcessBuilder pb = PackagedApp
                .process(PackagedApp.folder(root(), "migrations"), List.of(), PackagedApp.Archive.REQUIRED, args)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("PG_ADMIN_URL", database.withCredentials());
        for (String schema : Migrator.SCHEMAS) {
            pb.environment().put(schema.toUpperCase() + "_DB_PASSWORD", MigratedDatabase.localPassword(schema));
        }
        try {
            Process p = pb.start();
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("migrations " + args[0] + " did not finish in 3 minutes\n"
                        + ServiceProcess.tail(log, 60));
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private ServiceProcess service(String module, MigratedDatabase roles, Map<String, String> own) {
        String schema = switch (module) {
            case "core-api" -> "core";
            case "billing-service" -> "billing";
            case "realtime-bridge" -> "realtime";
            default -> "recordings";
        };
        PgUrl login = roles.as(schema);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PORT", String.valueOf(ServiceProcess.freePort()));
        env.put("QUARKUS_PROFILE", "prod");
        env.put("DB_URL", login.reactiveUrl());
        env.put("DB_USER", login.user());
        env.put("DB_PASSWORD", login.password().orElseThrow());
        env.put("DB_POOL_MAX_SIZE", "5");
        env.put("AUTH_SERVER_URL", workos.baseUrl());
        env.put("AUTH_JWKS_URL", workos.baseUrl() + "/sso/jwks/" + WorkOsStub.CLIENT_ID);
        env.put("AUTH_ISSUERS", workos.issuer());
        env.put("WORKOS_CLIENT_ID", WorkOsStub.CLIENT_ID);
        env.put("SUBSCRIPTION_GATE_MODE", "enforce");
        env.put("LIVEKIT_URL", livekitUrl());
        env.put("LIVEKIT_API_KEY", LIVEKIT_API_KEY);
        env.put("LIVEKIT_API_SECRET", LIVEKIT_API_SECRET);
        env.put("CENTRIFUGO_PROXY_SECRET", PROXY_SECRET);
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        env.putAll(own);
        return new ServiceProcess(module, module, root, logs, env);
    }

    private void killAll() {
        List<ServiceProcess> all = new ArrayList<>(List.of(core, billing, realtime, recordings));
        synchronized (this) {
            all.addAll(replicas);
        }
        for (ServiceProcess s : all) {
            s.kill();
        }
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs anyway
        }
        workos.close();
        stripe.close();
        centrifugo.close();
        livekit.stop();
        s3.stop();
        PostgresServer.dropDatabase(server, database.database());
    }
}
