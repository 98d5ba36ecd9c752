package dev.huddle.billing.sync;

import com.stripe.exception.StripeException;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;

/**
 * One database transaction around blocking work that calls Stripe between its statements (the sync and the seat
 * sync hold an org's advisory lock across those calls): committed when the work returns, rolled back when it
 * throws. Blocking: run it on a worker thread.
 */
public final class BlockingTransaction {

    /** The work, given the transaction's connection. */
    public interface Work<T> {
        T run(SqlConnection tx) throws StripeException;
    }

    private BlockingTransaction() {
    }

    public static <T> T run(Pool pool, Work<T> work) throws StripeException {
        SqlConnection connection = pool.getConnection().await().indefinitely();
        try {
            Transaction tx = connection.begin().await().indefinitely();
            try {
                T result = work.run(connection);
                tx.commit().await().indefinitely();
                return result;
            } catch (RuntimeException | StripeException e) {
                tx.rollback().onFailure().recoverWithNull().await().indefinitely();
                throw e;
            }
        } finally {
            connection.close().await().indefinitely();
        }
    }
}
