package dev.huddle.bench;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.huddle.migrations.PgUrl;
import dev.huddle.platform.paging.Cursor;

/**
 * {@code bench/run <scenario>}: each scenario starts the packaged service(s) it measures on a fresh database of the
 * bench's PostgreSQL ({@code BENCH_PG_URL}, durable), loads them with wrk, and in the same run measures the
 * database's ceiling for the scenario's irreducible work with pgbench at the same concurrency; prints a table and
 * saves JSON and an SVG latency chart (see {@link Report}).
 * <p>
 * Environment: {@code BENCH_PG_URL} (admin URL of the server), {@code BENCH_SECONDS} (each measured load, default
 * 20), {@code BENCH_WARMUP_SECONDS} (each warm-up, not measured, default 15: the JIT needs it), {@code BENCH_CONNECTIONS}
 * (default 32).
 */
public final class Bench {

    static final int SECONDS = Integer.parseInt(env("BENCH_SECONDS", "20"));
    static final int WARMUP = Integer.parseInt(env("BENCH_WARMUP_SECONDS", "15"));
    static final int CONNECTIONS = Integer.parseInt(env("BENCH_CONNECTIONS", "32"));

    /** The page query of chat-read, as MessageRepository runs it for the first page (limit 50 fetches 51). */
    static final String PAGE_QUERY = """
            SELECT id, room_id, parent_id, author_id, body, reply_count, created_at, updated_at
            FROM core.messages
            WHERE org_id = :org AND room_id = :room AND parent_id IS NULL
            ORDER BY created_at DESC, id DESC
            LIMIT 51;
            """;

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: Bench <chat-read|chat-write|webhook-ingest|publish-latency|startup|growth>");
            System.exit(2);
        }
        PgUrl server = PgUrl.parse(requireEnv("BENCH_PG_URL"));
        switch (args[0]) {
            case "chat-read" -> chatRead(server);
            case "chat-write" -> chatWrite(server);
            case "webhook-ingest" -> WebhookIngest.run(server);
            case "publish-latency" -> PublishLatency.run(server);
            case "startup" -> Startup.run(server);
            case "growth" -> Growth.run(server);
            default -> {
                System.err.println("unknown scenario " + args[0]);
                System.exit(2);
            }
        }
        // the Vert.x and HTTP threads of the drivers are not all daemons
        System.exit(0);
    }

    /** chat-read at 1,000,000 messages: page 1 and page 10,000 of one room against the page query's ceiling. */
    static void chatRead(PgUrl server) throws Exception {
        Report report = new Report("chat-read");
        BenchDatabase db = BenchDatabase.create(server, "chat_read");
        long total = Long.parseLong(env("BENCH_MESSAGES", "1000000"));
        long seedStart = System.nanoTime();
        db.tenant();
        db.messages(1, total);
        report.row("data", String.format(Locale.ROOT, "%,d messages in one room, generated in %.1f s", total,
                (System.nanoTime() - seedStart) / 1e9));
        try (Issuer issuer = new Issuer();
                ServiceProcess core = ServiceProcess.start("core-api", db.as("core"), issuer, Map.of(), List.of())
                        .awaitReady()) {
            String token = issuer.token(BenchDatabase.workosUser(0));
            String page = "/v1/orgs/" + BenchDatabase.ORG + "/rooms/" + BenchDatabase.room(0) + "/messages?limit=50";
            var first = Load.requestsFile("chat-read-page-1", List.of(Load.request("GET", page, null,
                    Map.of("Authorization", "Bearer " + token))));
            // page 10,000: the cursor of the last message of page 9,999 (the 499,950th newest)
            long deep = Math.min(total - 50, 9_999L * 50);
            long newest = total - deep + 1;
            OffsetDateTime at = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).plusSeconds(newest);
            String cursor = new Cursor(at, BenchDatabase.id("bench-msg-" + newest)).encode();
            var deepFile = Load.requestsFile("chat-read-page-10000", List.of(Load.request("GET",
                    page + "&cursor=" + cursor, null, Map.of("Authorization", "Bearer " + token))));

            Load.wrk("warm-up", core.url(""), first, CONNECTIONS, WARMUP);
            double cpuBefore = core.cpuMs();
            Load.Run service = Load.wrk("core-api, page 1", core.url(""), first, CONNECTIONS, SECONDS);
            double cpuPerRequest = (core.cpuMs() - cpuBefore) / service.completed();
            Load.Run deepRun = Load.wrk("core-api, page 10,000", core.url(""), deepFile, CONNECTIONS, SECONDS);
            double rss = core.rssMiB();
            Map<String, String> vars = Map.of("org", BenchDatabase.ORG.toString(), "room",
                    BenchDatabase.room(0).toString(), "user", BenchDatabase.workosUser(0));
            Load.Run ceiling = Load.pgbench("pgbench, page query", db.admin(), PAGE_QUERY, vars, CONNECTIONS, SECONDS);
            Load.Run three = Load.pgbench("pgbench, guard + room + page", db.admin(), """
                    SELECT user_id, role FROM core.active_memberships WHERE workos_user_id = :user AND org_id = :org;
                    SELECT 1 FROM core.rooms WHERE org_id = :org AND id = :room;
                    """ + PAGE_QUERY, vars, CONNECTIONS, SECONDS);
            for (Load.Run r : List.of(service, deepRun, ceiling, three)) {
                report.run(r);
            }
            double ratio = service.perSecond() / ceiling.perSecond();
            report.row("core-api page 1, req/s (" + CONNECTIONS + " connections)", rate(service),
                    ratio(ratio), ">= 0.3 of the page query", ratio >= 0.3);
            report.row("core-api page 1, p50 / p99 ms", ms(service.at(50)) + " / " + ms(service.at(99)), "",
                    "p99 <= 25 ms", service.at(99) <= 25);
            double deepRatio = service.perSecond() / deepRun.perSecond();
            report.row("core-api page 10,000, req/s; p99 ms", rate(deepRun) + "; " + ms(deepRun.at(99)),
                    ratio(deepRun.perSecond() / ceiling.perSecond()), "page 1 / page 10,000 <= 1.2 (is "
                            + String.format(Locale.ROOT, "%.2f", deepRatio) + ")",
                    deepRatio <= 1.2);
            report.row("core-api CPU per page-1 request (user + system, all threads)", String.format(Locale.ROOT,
                    "%.2f ms", cpuPerRequest));
            report.row("pgbench, the page query alone (ceiling), tx/s; p99 ms", rate(ceiling) + "; "
                    + ms(ceiling.at(99)));
            report.row("pgbench, guard + room check + page, tx/s; p99 ms", rate(three) + "; " + ms(three.at(99)),
                    ratio(three.perSecond() / ceiling.perSecond()), "", null);
            report.row("failed requests (non-2xx, socket errors)", service.failed() + deepRun.failed() + "");
            report.row("core-api resident memory after the load", String.format(Locale.ROOT, "%.0f MiB", rss));
        } finally {
            db.drop(server);
        }
        report.finish();
    }

    /**
     * chat-write: 32 members each posting into their own room (rate limits raised), core-api and realtime-bridge
     * (which relays the outbox to a Centrifugo stand-in, as deployed) against the same transaction under pgbench.
     */
    static void chatWrite(PgUrl server) throws Exception {
        Report report = new Report("chat-write");
        BenchDatabase db = BenchDatabase.create(server, "chat_write");
        db.tenant();
        try (Issuer issuer = new Issuer();
                ServiceProcess bridge = ServiceProcess.start("realtime-bridge", db.as("realtime"), issuer, Map.of(),
                        List.of()).awaitReady();
                ServiceProcess core = postingCoreApi(db, issuer)) {
            var posts = Load.requestsFile("chat-write", posts(issuer));
            Load.wrk("warm-up", core.url(""), posts, CONNECTIONS, WARMUP);
            double cpuBefore = core.cpuMs();
            Load.Run service = Load.wrk("core-api, POST message", core.url(""), posts, CONNECTIONS, SECONDS);
            double cpuPerRequest = (core.cpuMs() - cpuBefore) / service.completed();
            Load.Run ceiling = Load.pgbench("pgbench, the same transaction", db.admin(), WRITE_TRANSACTION,
                    Map.of("org", BenchDatabase.ORG.toString()), CONNECTIONS, SECONDS);
            report.run(service);
            report.run(ceiling);
            double ratio = service.perSecond() / ceiling.perSecond();
            report.row("core-api POST message, req/s (" + CONNECTIONS + " connections)", rate(service), ratio(ratio),
                    ">= 0.5 of the same transaction", ratio >= 0.5);
            report.row("core-api p50 / p99 ms", ms(service.at(50)) + " / " + ms(service.at(99)), "", "p99 <= 40 ms",
                    service.at(99) <= 40);
            report.row("core-api CPU per post (user + system, all threads)", String.format(Locale.ROOT, "%.2f ms",
                    cpuPerRequest));
            report.row("pgbench, room check + rate limit + message + outbox row, durable (ceiling), tx/s; p99 ms",
                    rate(ceiling) + "; " + ms(ceiling.at(99)));
            report.row("failed requests (non-2xx, socket errors)", String.valueOf(service.failed()));
            report.row("messages stored",
                    String.valueOf(db.count("SELECT count(*) FROM core.messages WHERE body LIKE 'bench message from%'")));
        } finally {
            db.drop(server);
        }
        report.finish();
    }

    /** core-api, ready, with both rate limits out of the way: a bench measures the work of a post, not the limit. */
    static ServiceProcess postingCoreApi(BenchDatabase db, Issuer issuer) throws Exception {
        return ServiceProcess.start("core-api", db.as("core"), issuer, Map.of("HUDDLE_CHAT_RATE_LIMIT_MESSAGES",
                "1000000000", "HUDDLE_RATE_LIMITS_WRITES_REQUESTS", "1000000000"), List.of()).awaitReady();
    }

    /** One post per member, each into the member's own room (n into room n), for {@link Load#wrk}. */
    static List<String> posts(Issuer issuer) {
        List<String> lines = new ArrayList<>();
        for (int n = 0; n < BenchDatabase.USERS; n++) {
            lines.add(Load.request("POST", "/v1/orgs/" + BenchDatabase.ORG + "/rooms/" + BenchDatabase.room(n)
                    + "/messages", "{\"body\":\"bench message from member " + n + "\"}",
                    Map.of("Authorization",
                            "Bearer " + issuer.token(BenchDatabase.workosUser(n)), "Content-Type", "application/json")));
        }
        return lines;
    }

    /**
     * What a post does in its transaction (MessageService.post with OutboxWriter.append), for member :n in room :n:
     * room check, the posting rate limit's upsert, the message, the channel's writer lock, the outbox row, the
     * conditional NOTIFY.
     */
    static final String WRITE_TRANSACTION = """
            \\set n random(0, 31)
            BEGIN;
            SELECT 1 FROM core.rooms WHERE org_id = :org AND id = md5('bench-room-' || :n)::uuid;
            INSERT INTO core.rate_limits AS b (bucket, subject, tokens, refilled_at)
            VALUES ('chat-posts', :org || '|' || md5('bench-user-' || :n)::uuid, 1e9::float8 - 1, clock_timestamp())
            ON CONFLICT (bucket, subject) DO UPDATE
            SET tokens = least(1e9::float8, b.tokens + greatest(0, extract(epoch FROM excluded.refilled_at - b.refilled_at)::float8) * 1e9::float8 / 10::float8) - 1,
                refilled_at = greatest(b.refilled_at, excluded.refilled_at)
            WHERE least(1e9::float8, b.tokens + greatest(0, extract(epoch FROM excluded.refilled_at - b.refilled_at)::float8) * 1e9::float8 / 10::float8) >= 1
            RETURNING b.tokens;
            INSERT INTO core.messages (org_id, room_id, author_id, parent_id, body)
            VALUES (:org, md5('bench-room-' || :n)::uuid, md5('bench-user-' || :n)::uuid, NULL, 'pgbench message')
            RETURNING id, room_id, parent_id, author_id, body, reply_count, created_at, updated_at;
            SELECT pg_advisory_xact_lock(hashtext('realtime.outbox.writers'), hashtext('room:' || md5('bench-room-' || :n)::uuid));
            INSERT INTO realtime.outbox (channel, payload, idempotency_key)
            VALUES ('room:' || md5('bench-room-' || :n)::uuid, jsonb_build_object('type', 'message.created', 'version', 1, 'id', gen_random_uuid(), 'data', jsonb_build_object('body', 'pgbench message')), gen_random_uuid()::text);
            SELECT pg_notify('realtime_outbox', '') WHERE NOT EXISTS (SELECT 1 FROM realtime.relay_replicas WHERE busy_until > clock_timestamp());
            END;
            """;

    static String rate(Load.Run r) {
        return String.format(Locale.ROOT, "%,.0f", r.perSecond());
    }

    static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2f", r);
    }

    static String ms(double v) {
        return Report.trim(v);
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    static String requireEnv(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set (bench/run sets it)");
        }
        return value;
    }

    private Bench() {
    }
}
