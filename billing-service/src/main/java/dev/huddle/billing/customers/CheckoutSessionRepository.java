package dev.huddle.billing.customers;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The org's latest Checkout Session ({@code billing.checkout_sessions}) and the per-org checkout lock. Every method
 * runs on the caller's connection, inside the transaction that holds the lock.
 */
@ApplicationScoped
public class CheckoutSessionRepository {

    /** A Checkout Session this service created for an org, for {@code quantity} seats. */
    public record StoredSession(String id, String url, long quantity, OffsetDateTime expiresAt) {
    }

    /** Waits for the org's checkout lock; it is held until the transaction ends, on every replica alike. */
    private static final String LOCK = """
            SELECT pg_advisory_xact_lock(hashtext('huddle.billing.checkout'), hashtext($1::text))""";

    private static final String FIND = """
            SELECT stripe_session_id, url, quantity, expires_at FROM billing.checkout_sessions WHERE org_id = $1""";

    private static final String SAVE = """
            INSERT INTO billing.checkout_sessions (org_id, stripe_session_id, url, quantity, expires_at)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (org_id) DO UPDATE SET
                stripe_session_id = excluded.stripe_session_id,
                url = excluded.url,
                quantity = excluded.quantity,
                expires_at = excluded.expires_at,
                created_at = now()""";

    public void lock(SqlConnection connection, UUID orgId) {
        connection.preparedQuery(LOCK).execute(Tuple.of(orgId.toString())).await().indefinitely();
    }

    /** The org's latest session, unless it has expired by its own clock. */
    public Optional<StoredSession> latest(SqlConnection connection, UUID orgId) {
        var rows = connection.preparedQuery(FIND).execute(Tuple.of(orgId)).await().indefinitely();
        if (rows.size() == 0) {
            return Optional.empty();
        }
        var row = rows.iterator().next();
        OffsetDateTime expiresAt = row.getOffsetDateTime("expires_at");
        return expiresAt.isAfter(OffsetDateTime.now()) ? Optional.of(new StoredSession(row.getString("stripe_session_id"),
                row.getString("url"), row.getInteger("quantity"), expiresAt)) : Optional.empty();
    }

    public void save(SqlConnection connection, UUID orgId, StoredSession session) {
        connection.preparedQuery(SAVE).execute(Tuple.of(orgId, session.id(), session.url(), (int) session.quantity(),
                session.expiresAt())).await().indefinitely();
    }
}
