package dev.huddle.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.stripe.net.Webhook;

import dev.huddle.migrations.PgUrl;

/**
 * webhook-ingest: Stripe events signed with stripe-java's own signing ({@code Webhook.Signature}), 30 % of them
 * deliveries of an event sent before (as Stripe retries), posted to billing-service's endpoint; against pgbench
 * inserting into the inbox, durable, at the same concurrency. The inbox depth is sampled every 250 ms: the worker must
 * keep it bounded and drain it after the load.
 */
final class WebhookIngest {

    static final String SECRET = "whsec_bench_0123456789abcdef";

    private WebhookIngest() {
    }

    static void run(PgUrl server) throws Exception {
        Report report = new Report("webhook-ingest");
        BenchDatabase db = BenchDatabase.create(server, "webhook_ingest");
        try (Issuer issuer = new Issuer();
                ServiceProcess billing = ServiceProcess.start("billing-service", db.as("billing"), issuer, Map.of(
                        "STRIPE_WEBHOOK_SECRET", SECRET, "STRIPE_API_KEY", "sk_test_bench",
                        // no call may leave: the events name customers of no org, which the worker ignores
                        "STRIPE_API_BASE", issuer.base()), List.of()).awaitReady()) {
            Path warm = events("webhook-warm-up", 1, Bench.WARMUP * 4000);
            Path events = events("webhook-events", 2, Bench.SECONDS * 12000);
            Load.wrk("warm-up", billing.url(""), warm, Bench.CONNECTIONS, Bench.WARMUP);
            AtomicLong maxDepth = new AtomicLong();
            var sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> {
                try {
                    maxDepth.accumulateAndGet(depth(db), Math::max);
                } catch (Exception e) {
                    // a missed sample: the next one counts
                }
            }, 0, 250, TimeUnit.MILLISECONDS);
            double cpuBefore = billing.cpuMs();
            Load.Run service = Load.wrk("billing-service, signed events", billing.url(""), events, Bench.CONNECTIONS,
                    Bench.SECONDS);
            double cpuPerRequest = (billing.cpuMs() - cpuBefore) / service.completed();
            long atEnd = depth(db);
            long drainStart = System.nanoTime();
            while (depth(db) > 0 && System.nanoTime() - drainStart < TimeUnit.SECONDS.toNanos(120)) {
                Thread.sleep(100);
            }
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            long left = depth(db);
            sampler.shutdownNow();
            Load.Run ceiling = Load.pgbench("pgbench, inbox insert", db.admin(),
                    """
                            \\set r random(1, 1000000000000)
                            INSERT INTO billing.stripe_event_inbox (id, type, api_version, stripe_created, payload, stripe_customer_id)
                            VALUES ('evt_pgbench_' || :r, 'customer.subscription.updated', '2025-03-31.basil', now(),
                                    ('{"id":"evt_pgbench_' || :r || '","object":"event","type":"customer.subscription.updated","data":{"object":{"id":"sub_1","object":"subscription","customer":"cus_bench_1","status":"active"}}}')::text::jsonb,
                                    'cus_bench_1')
                            ON CONFLICT (id) DO NOTHING;
                            """,
                    Map.of(), Bench.CONNECTIONS, Bench.SECONDS);
            report.run(service);
            report.run(ceiling);
            double ratio = service.perSecond() / ceiling.perSecond();
            report.row("billing-service, events acknowledged/s (" + Bench.CONNECTIONS + " connections, 30 % duplicates)",
                    Bench.rate(service), Bench.ratio(ratio), ">= 0.3 of the inbox insert", ratio >= 0.3);
            report.row("billing-service p50 / p99 ms", Bench.ms(service.at(50)) + " / " + Bench.ms(service.at(99)), "",
                    "p99 <= 20 ms", service.at(99) <= 20);
            report.row("billing-service CPU per event (user + system, all threads, the inbox worker's included)",
                    String.format(Locale.ROOT, "%.2f ms", cpuPerRequest));
            report.row("pgbench, the durable inbox insert (ceiling), tx/s; p99 ms", Bench.rate(ceiling) + "; "
                    + Bench.ms(ceiling.at(99)));
            // bounded: at the load's end no more than two seconds of events wait, and all drain after it
            boolean bounded = atEnd <= 2 * service.perSecond() && left == 0;
            report.row("inbox depth (pending + processing): max during the load / at its end", maxDepth.get() + " / "
                    + atEnd, "", "bounded (<= 2 s of events at the end), drained after", bounded);
            report.row("time to drain after the load", String.format(Locale.ROOT, "%.1f s (%d left)", drainSeconds, left));
            report.row("failed requests (non-2xx, socket errors)", String.valueOf(service.failed()));
        } finally {
            db.drop(server);
        }
        report.finish();
    }

    private static long depth(BenchDatabase db) throws Exception {
        return db.count("SELECT count(*) FROM billing.stripe_event_inbox WHERE status IN ('pending', 'processing')");
    }

    /**
     * {@code count} deliveries, signed now: 70 % new events, 30 % a repeat of an earlier one (fixed seed, so two runs
     * send the same sequence).
     */
    private static Path events(String name, int seed, int count) throws Exception {
        Random random = new Random(seed);
        List<String> bodies = new ArrayList<>();
        List<String> lines = new ArrayList<>(count);
        long created = System.currentTimeMillis() / 1000;
        for (int i = 0; i < count; i++) {
            String body;
            if (!bodies.isEmpty() && random.nextDouble() < 0.3) {
                body = bodies.get(random.nextInt(bodies.size()));
            } else {
                String id = name + "_" + bodies.size();
                body = "{\"id\":\"evt_" + id + "\",\"object\":\"event\",\"api_version\":\"2025-03-31.basil\","
                        + "\"created\":" + created + ",\"livemode\":false,\"pending_webhooks\":1,"
                        + "\"request\":{\"id\":null,\"idempotency_key\":null},\"type\":\"customer.subscription.updated\","
                        + "\"data\":{\"object\":{\"id\":\"sub_" + id
                        + "\",\"object\":\"subscription\",\"customer\":\"cus_bench_"
                        + random.nextInt(1000) + "\",\"status\":\"active\",\"quantity\":" + (1 + random.nextInt(50))
                        + "}}}";
                bodies.add(body);
            }
            lines.add(Load.request("POST", "/webhooks/stripe", body, Map.of("Stripe-Signature",
                    Webhook.Signature.generateSignatureHeader(body, SECRET), "Content-Type", "application/json")));
        }
        return Load.requestsFile(name, lines);
    }
}
