package dev.huddle.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import com.sun.net.httpserver.HttpServer;

import dev.huddle.migrations.PgUrl;
import dev.huddle.testing.MigratedDatabase;
import dev.huddle.testing.PackagedApp;
import dev.huddle.testing.PostgresServer;
import dev.huddle.testing.TokenMinter;
import dev.huddle.testing.postgres.EmbeddedPostgres;

/**
 * The whole stack on one machine: PostgreSQL (embedded, data kept in {@code .dev/pgdata}; or the database
 * {@code PG_ADMIN_URL} names), the migrations, a local token issuer the services trust in this mode, a dev user
 * who owns a dev org, and the four services, each as its own process. Ctrl-C stops everything.
 */
public final class LocalStack {

    record Service(String module, String schema, int port) {
    }

    static final List<Service> SERVICES = List.of(
            new Service("core-api", "core", 8080),
            new Service("billing-service", "billing", 8081),
            new Service("realtime-bridge", "realtime", 8082),
            new Service("recordings-service", "recordings", 8083));

    static final String DEV_USER = "user_01LOCALDEVUSER";
    static final String DEV_EMAIL = "dev@huddle.local";
    static final String DEV_ORG = "org_01LOCALDEVORG";
    static final String CLIENT_ID = "client_local";

    private final Path root;
    private final Path dev;
    private final List<Process> processes = new ArrayList<>();
    private EmbeddedPostgres embedded;
    private HttpServer issuer;

    LocalStack(Path root) {
        this.root = root;
        this.dev = root.resolve(".dev");
    }

    public static void main(String[] args) throws Exception {
        LocalStack stack = new LocalStack(Path.of("").toAbsolutePath());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.stop();
            stopped.countDown();
        }, "local-stack-stop"));
        try {
            stack.start();
        } catch (RuntimeException e) {
            System.err.println("\nThe local stack did not start: " + e.getMessage());
            System.exit(1);
        }
        stack.awaitExit();
        stopped.await();
    }

    void start() throws IOException, InterruptedException {
        Files.createDirectories(dev.resolve("logs"));
        for (Service s : SERVICES) {
            if (!PackagedApp.exists(app(s))) {
                throw new IllegalStateException(app(s) + " is missing: build first (./mvnw package -DskipTests)");
            }
        }
        PgUrl db = database();
        say("migrating " + db);
        MigratedDatabase migrated = MigratedDatabase.migrate(db);
        seedDevTenant(migrated.admin());

        int issuerPort = Integer.parseInt(env("LOCAL_ISSUER_PORT", "8090"));
        String issuerUrl = "http://127.0.0.1:" + issuerPort;
        TokenMinter minter = TokenMinter.loadOrGenerate(dev.resolve("signing-key.jwk"));
        startIssuer(issuerPort, minter);

        for (Service s : SERVICES) {
            processes.add(launch(s, migrated, issuerUrl));
        }
        for (Service s : SERVICES) {
            awaitReady(s);
        }
        String token = minter.mint(tokenIssuer(issuerUrl), DEV_USER, Duration.ofHours(12));
        Files.writeString(dev.resolve("token"), token + "\n");
        printBanner(token, db);
    }

    /** The embedded server's database {@code huddle}, or the database PG_ADMIN_URL names. */
    private PgUrl database() {
        String configured = System.getenv(PostgresServer.ADMIN_URL_ENV);
        if (configured != null && !configured.isBlank()) {
            PgUrl url = PgUrl.parse(configured);
            say("using the database PG_ADMIN_URL names: " + url);
            return url;
        }
        int port = Integer.parseInt(env("LOCAL_PG_PORT", "54329"));
        say("starting embedded PostgreSQL 15 on 127.0.0.1:" + port + " (data in " + dev.resolve("pgdata") + ")");
        embedded = PostgresServer.startEmbedded(dev.resolve("pgdata"), port);
        PgUrl server = PostgresServer.adminUrl(embedded);
        try (Connection c = PostgresServer.connect(server);
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = 'huddle'");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                c.createStatement().execute("CREATE DATABASE huddle");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database huddle: " + e.getMessage(), e);
        }
        return server.withDatabase("huddle");
    }

    /** A dev user who owns a dev org; kept as it is when it exists. */
    private void seedDevTenant(PgUrl admin) {
        try (Connection c = PostgresServer.connect(admin)) {
            c.setAutoCommit(false);
            UUID user = upsertReturningId(c, """
                    INSERT INTO core.users (workos_user_id, email, display_name) VALUES (?, ?, 'Local Developer')
                    ON CONFLICT (workos_user_id) DO UPDATE SET workos_user_id = excluded.workos_user_id
                    RETURNING id""", DEV_USER, DEV_EMAIL);
            UUID org = upsertReturningId(c, """
                    INSERT INTO core.organizations (workos_org_id, name) VALUES (?, 'Dev Org')
                    ON CONFLICT (workos_org_id) DO UPDATE SET workos_org_id = excluded.workos_org_id
                    RETURNING id""", DEV_ORG);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO core.memberships (org_id, user_id, role, status) VALUES (?, ?, 'owner', 'active')
                    ON CONFLICT (org_id, user_id) DO NOTHING""")) {
                ps.setObject(1, org);
                ps.setObject(2, user);
                ps.executeUpdate();
            }
            c.commit();
            Files.writeString(dev.resolve("org-id"), org + "\n");
        } catch (SQLException e) {
            throw new IllegalStateException("could not seed the dev user and org: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static UUID upsertReturningId(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, UUID.class);
            }
        }
    }

    /** Serves the dev key's JWKS where WorkOS serves its own: /sso/jwks/{clientId}. */
    private void startIssuer(int port, TokenMinter minter) throws IOException {
        byte[] jwks = minter.jwksJson().getBytes(StandardCharsets.UTF_8);
        issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        issuer.createContext("/sso/jwks/" + CLIENT_ID, exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        issuer.start();
        say("local token issuer on 127.0.0.1:" + port);
    }

    /** The {@code iss} of the local tokens: like AuthKit's, it names the client the token is for. */
    private static String tokenIssuer(String issuerUrl) {
        return issuerUrl + "/user_management/" + CLIENT_ID;
    }

    /** The subscribe proxy's secret, made once and kept in .dev (a local Centrifugo needs the same value). */
    private String proxySecret() throws IOException {
        Path file = dev.resolve("centrifugo-proxy-secret");
        if (!Files.exists(file)) {
            Files.writeString(file, UUID.randomUUID().toString().replace("-", "") + "\n");
        }
        return Files.readString(file).trim();
    }

    private Process launch(Service s, MigratedDatabase db, String issuerUrl) throws IOException {
        PgUrl app = db.as(s.schema());
        ProcessBuilder pb = PackagedApp.process(app(s), List.of(), PackagedApp.Archive.IF_PRESENT)
                .redirectErrorStream(true)
                .redirectOutput(dev.resolve("logs").resolve(s.module() + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("PORT", String.valueOf(s.port()));
        env.put("DB_URL", app.reactiveUrl());
        env.put("DB_USER", app.user());
        env.put("DB_PASSWORD", app.password().orElse(""));
        env.put("AUTH_SERVER_URL", issuerUrl);
        env.put("AUTH_JWKS_URL", issuerUrl + "/sso/jwks/" + CLIENT_ID);
        env.put("AUTH_ISSUERS", tokenIssuer(issuerUrl));
        env.put("WORKOS_CLIENT_ID", CLIENT_ID);
        env.put("CORS_ORIGINS", env("CORS_ORIGINS", "http://localhost:3000"));
        env.put("CENTRIFUGO_PROXY_SECRET", env("CENTRIFUGO_PROXY_SECRET", proxySecret()));
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        say("starting " + s.module() + " on :" + s.port());
        return pb.start();
    }

    private void awaitReady(Service s) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plusSeconds(120);
        Process process = processes.get(SERVICES.indexOf(s));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(s.module() + " exited; see " + log(s));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(s.module() + " was not ready within 120 s; see " + log(s));
    }

    private void printBanner(String token, PgUrl db) throws IOException {
        String org = Files.readString(dev.resolve("org-id")).trim();
        StringBuilder out = new StringBuilder("\nHuddle is running (Ctrl-C stops everything).\n\n");
        for (Service s : SERVICES) {
            out.append(String.format("  %-19s http://localhost:%d   (health /q/health, OpenAPI /q/openapi, log %s)%n",
                    s.module(), s.port(), root.relativize(log(s))));
        }
        out.append("\n  database            ").append(db).append('\n');
        out.append("  dev user            ").append(DEV_USER).append(" <").append(DEV_EMAIL).append(">, owner of Dev Org ")
                .append(org).append('\n');
        List<String> notConfigured = new ArrayList<>();
        for (Service s : SERVICES) {
            for (String line : Files.readAllLines(log(s))) {
                int at = line.indexOf("is not configured");
                if (at > 0) {
                    notConfigured.add(String.format("  %-19s %s", s.module(), line.substring(line.lastIndexOf(") ", at) + 2)));
                }
            }
        }
        if (!notConfigured.isEmpty()) {
            out.append("\nNot configured (the stack runs without them):\n").append(String.join("\n", notConfigured))
                    .append('\n');
        }
        out.append("\nAccess token for the dev user (12 h; also in .dev/token):\n\n").append(token).append("\n\n");
        out.append("Try:\n  curl -H \"Authorization: Bearer $(cat .dev/token)\" localhost:8080/v1/me\n");
        System.out.println(out);
    }

    /** Blocks until a service dies (then stops the rest) or the JVM is interrupted. */
    void awaitExit() throws InterruptedException {
        while (true) {
            for (int i = 0; i < processes.size(); i++) {
                if (!processes.get(i).isAlive()) {
                    System.err.println(SERVICES.get(i).module() + " stopped unexpectedly; see " + log(SERVICES.get(i)));
                    System.exit(1);
                }
            }
            Thread.sleep(1000);
        }
    }

    synchronized void stop() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(Duration.ofSeconds(15).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        processes.clear();
        if (issuer != null) {
            issuer.stop(0);
            issuer = null;
        }
        if (embedded != null) {
            embedded.close();
            embedded = null;
        }
        System.out.println("stopped");
    }

    private Path app(Service s) {
        return PackagedApp.folder(root, s.module());
    }

    private Path log(Service s) {
        return dev.resolve("logs").resolve(s.module() + ".log");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void say(String line) {
        System.out.println("[local-stack] " + line);
    }
}
