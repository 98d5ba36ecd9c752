package dev.huddle.billing.customers;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The org -> Stripe customer mapping ({@code billing.customers}). */
@ApplicationScoped
public class CustomerRepository {

    private final Pool pool;

    public CustomerRepository(Pool pool) {
        this.pool = pool;
    }

    /** The org's Stripe customer id, or null. */
    public Uni<String> customerOf(UUID orgId) {
        return customerOf(pool, orgId);
    }

    /** The org's Stripe customer id, or null, read through {@code client} (a pool, or a transaction's connection). */
    public Uni<String> customerOf(SqlClient client, UUID orgId) {
        return client.preparedQuery("SELECT stripe_customer_id FROM billing.customers WHERE org_id = $1")
                .execute(Tuple.of(orgId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("stripe_customer_id"));
    }

    /** Stores the mapping unless the org has one already; returns the org's customer id either way. */
    public Uni<String> save(UUID orgId, String stripeCustomerId) {
        return pool.preparedQuery("""
                INSERT INTO billing.customers (org_id, stripe_customer_id) VALUES ($1, $2)
                ON CONFLICT (org_id) DO NOTHING""")
                .execute(Tuple.of(orgId, stripeCustomerId))
                .chain(() -> customerOf(orgId));
    }

    /** Active members now: the seats the org should be billed for. */
    public Uni<Integer> activeMembers(UUID orgId) {
        return pool.preparedQuery("SELECT active_members FROM core.org_seat_counts WHERE org_id = $1")
                .execute(Tuple.of(orgId))
                .map(rows -> rows.size() == 0 ? 0 : rows.iterator().next().getInteger("active_members"));
    }
}
