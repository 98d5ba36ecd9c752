package dev.huddle.billing.inbox;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class InboxRepository {

    /** The payload goes in as text, parsed by PostgreSQL: a String bound to jsonb would be stored as a JSON string. */
    private static final String INSERT = """
            INSERT INTO billing.stripe_event_inbox (id, type, api_version, stripe_created, payload, stripe_customer_id)
            VALUES ($1, $2, $3, $4, $5::text::jsonb, $6)
            ON CONFLICT (id) DO NOTHING""";

    /**
     * Due pending rows, and processing rows whose claim ran out (their worker died), each with its customer's org. A row
     * that needs no sync is finished as it is claimed: ignored, noting a customer that belongs to no org; one that does
     * is leased (processing) for the worker.
     */
    private static final String CLAIM = """
            WITH due AS (
                SELECT i.id, c.org_id,
                       i.type = ANY($3) AND c.org_id IS NOT NULL AS synced,
                       i.type = ANY($3) AND i.stripe_customer_id IS NOT NULL AS relevant
                FROM billing.stripe_event_inbox i
                LEFT JOIN billing.customers c ON c.stripe_customer_id = i.stripe_customer_id
                WHERE i.status IN ('pending', 'processing') AND i.next_attempt_at <= now()
                ORDER BY i.next_attempt_at, i.stripe_created
                LIMIT $1
                FOR UPDATE OF i SKIP LOCKED
            )
            UPDATE billing.stripe_event_inbox i
            SET status = CASE WHEN d.synced THEN 'processing' ELSE 'ignored' END,
                attempts = i.attempts + 1,
                next_attempt_at = CASE WHEN d.synced THEN now() + $2 * interval '1 millisecond' ELSE i.next_attempt_at END,
                processed_at = CASE WHEN d.synced THEN i.processed_at ELSE now() END,
                last_error = CASE WHEN d.synced THEN i.last_error
                                  WHEN d.relevant THEN 'customer ' || i.stripe_customer_id || ' belongs to no org' END
            FROM due d
            WHERE i.id = d.id
            RETURNING i.id, i.type, i.stripe_customer_id, i.attempts, d.org_id, d.synced""";

    private static final String FINISH = """
            UPDATE billing.stripe_event_inbox
            SET status = $2, processed_at = now(), last_error = $3
            WHERE id = ANY($1) AND status = 'processing'""";

    private static final String RETRY = """
            UPDATE billing.stripe_event_inbox
            SET status = 'pending', next_attempt_at = now() + $2 * interval '1 millisecond', last_error = $3
            WHERE id = $1 AND status = 'processing'""";

    private static final String DEAD = """
            UPDATE billing.stripe_event_inbox
            SET status = 'dead', processed_at = now(), last_error = $2
            WHERE id = $1 AND status = 'processing'""";

    private static final String DEPTH = """
            SELECT status, count(*)::bigint AS n FROM billing.stripe_event_inbox GROUP BY status""";

    /** Seconds since the oldest pending or processing event arrived; 0 when there is none (a partial index). */
    private static final String OLDEST_UNPROCESSED = """
            SELECT coalesce(extract(epoch FROM now() - min(received_at)), 0)::float8 AS age
            FROM billing.stripe_event_inbox WHERE status IN ('pending', 'processing')""";

    /**
     * When Stripe first reported a subscription's current payment failure: the earliest event in the inbox (of
     * any status, dead ones too) that reports it past_due or unpaid, or an {@code invoice.payment_failed} of it,
     * created after the last event that reported it healthy. Only the events' Stripe timestamps are read, never
     * their state: the state comes from the fresh fetch.
     */
    private static final String FAILING_SINCE = """
            WITH reports AS (
                SELECT stripe_created,
                       CASE WHEN type = 'invoice.payment_failed' THEN true
                            WHEN type IN ('invoice.paid', 'invoice.payment_succeeded') THEN false
                            WHEN type LIKE 'customer.subscription.%'
                                THEN payload #>> '{data,object,status}' IN ('past_due', 'unpaid')
                       END AS failing
                FROM billing.stripe_event_inbox
                WHERE stripe_customer_id = $1
                  AND $2 IN (payload #>> '{data,object,id}', payload #>> '{data,object,subscription}',
                             payload #>> '{data,object,parent,subscription_details,subscription}'))
            SELECT min(stripe_created) AS since FROM reports
            WHERE failing
              AND stripe_created > coalesce((SELECT max(stripe_created) FROM reports WHERE NOT failing),
                                            '-infinity'::timestamptz)""";

    private static final String LIST_DEAD = """
            SELECT id, type, stripe_customer_id, attempts, last_error, stripe_created, received_at
            FROM billing.stripe_event_inbox
            WHERE status = 'dead'
            ORDER BY received_at DESC, id
            LIMIT $1""";

    private static final String REPLAY = """
            UPDATE billing.stripe_event_inbox
            SET status = 'pending', attempts = 0, next_attempt_at = now(), processed_at = NULL
            WHERE id = $1 AND status = 'dead'""";

    private static final String PRUNE = """
            DELETE FROM billing.stripe_event_inbox
            WHERE status IN ('done', 'ignored') AND processed_at < now() - $1 * interval '1 second'""";

    private final Pool pool;

    public InboxRepository(Pool pool) {
        this.pool = pool;
    }

    /** Stores a verified event; false when it was stored already (a redelivery). */
    public Uni<Boolean> insert(InboxEvent e) {
        return pool.preparedQuery(INSERT)
                .execute(Tuple.tuple().addString(e.id()).addString(e.type()).addString(e.apiVersion())
                        .addOffsetDateTime(e.stripeCreated()).addString(e.payload()).addString(e.stripeCustomerId()))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Claims up to {@code batchSize} due events: those of a type in {@code relevantTypes} whose customer has an org
     * come back leased for {@code lease}, the others come back finished (ignored) already.
     */
    public Uni<List<ClaimedEvent>> claim(int batchSize, Duration lease, Collection<String> relevantTypes) {
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(batchSize, lease.toMillis(), relevantTypes.toArray(String[]::new)))
                .map(rows -> {
                    List<ClaimedEvent> claimed = new ArrayList<>();
                    rows.forEach(r -> claimed.add(new ClaimedEvent(r.getString("id"), r.getString("type"),
                            r.getString("stripe_customer_id"), r.getInteger("attempts"),
                            r.getBoolean("synced") ? r.getUUID("org_id") : null)));
                    return claimed;
                });
    }

    public Uni<Void> finish(List<String> ids, String status, String note) {
        return pool.preparedQuery(FINISH).execute(Tuple.of(ids.toArray(String[]::new), status, note)).replaceWithVoid();
    }

    public Uni<Void> retry(String id, Duration delay, String error) {
        return pool.preparedQuery(RETRY).execute(Tuple.of(id, delay.toMillis(), error)).replaceWithVoid();
    }

    public Uni<Void> dead(String id, String error) {
        return pool.preparedQuery(DEAD).execute(Tuple.of(id, error)).replaceWithVoid();
    }

    public Uni<Map<String, Long>> depth() {
        return pool.query(DEPTH).execute().map(rows -> {
            Map<String, Long> depth = new HashMap<>();
            rows.forEach(r -> depth.put(r.getString("status"), r.getLong("n")));
            return depth;
        });
    }

    /** How long the oldest unprocessed (pending or processing) event has waited since it arrived; zero if none. */
    public Uni<Duration> oldestUnprocessedAge() {
        return pool.query(OLDEST_UNPROCESSED).execute()
                .map(rows -> Duration.ofMillis(Math.round(rows.iterator().next().getDouble("age") * 1000)));
    }

    /** Stripe's time of the first event reporting the subscription's current payment failure; null if none. */
    public Uni<OffsetDateTime> failingSince(SqlClient client, String customerId, String subscriptionId) {
        return client.preparedQuery(FAILING_SINCE).execute(Tuple.of(customerId, subscriptionId))
                .map(rows -> rows.iterator().next().getOffsetDateTime("since"));
    }

    public Uni<List<DeadEvent>> listDead(int limit) {
        return pool.preparedQuery(LIST_DEAD).execute(Tuple.of(limit)).map(rows -> {
            List<DeadEvent> dead = new ArrayList<>();
            rows.forEach(r -> dead.add(toDead(r)));
            return dead;
        });
    }

    /** Puts a dead event back in the queue; false when there is no dead event with that id. */
    public Uni<Boolean> replay(String id) {
        return pool.preparedQuery(REPLAY).execute(Tuple.of(id)).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Integer> prune(Duration retention) {
        return pool.preparedQuery(PRUNE).execute(Tuple.of(retention.toSeconds())).map(rows -> rows.rowCount());
    }

    private static DeadEvent toDead(Row r) {
        return new DeadEvent(r.getString("id"), r.getString("type"), r.getString("stripe_customer_id"),
                r.getInteger("attempts"), r.getString("last_error"), r.getOffsetDateTime("stripe_created"),
                r.getOffsetDateTime("received_at"));
    }
}
