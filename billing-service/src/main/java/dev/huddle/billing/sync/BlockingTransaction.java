package dev.huddle.billing.sync;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;

/**
 * One database transaction around blocking work that calls Stripe between its statements (the sync, the seat sync
 * and checkout hold an org's advisory lock across those calls): committed when the work returns, rolled back when
 * it throws. Blocking: run it on a worker thread.
 */
public final class BlockingTransaction {

    /** The work, given the transaction's connection; {@code E} is what it may throw (a Stripe failure, say). */
    public interface Work<T, E extends Exception> {
        T run(SqlConnection tx) throws E;
    }

    private BlockingTransaction() {
    }

    public static <T, E extends Exception> T run(Pool pool, Work<T, E> work) throws E {
        SqlConnection connection = pool.getConnection().await().indefinitely();
        try {
            Transaction tx = connection.begin().await().indefinitely();
            try {
                T result = work.run(connection);
                tx.commit().await().indefinitely();
                return result;
            } catch (Exception e) {
                tx.rollback().onFailure().recoverWithNull().await().indefinitely();
                throw e;
            }
        } finally {
            connection.close().await().indefinitely();
        }
    }
}
