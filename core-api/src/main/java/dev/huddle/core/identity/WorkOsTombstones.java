package dev.huddle.core.identity;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * WorkOS ids ({@code user_...}, {@code om_...}) known deleted, in {@code core.workos_tombstones}: recorded when their
 * deleted event is applied, when a reconciliation removes a membership WorkOS no longer lists, and when our API
 * removes a membership in WorkOS. WorkOS never reuses an id, so a created or updated event of a tombstoned id is old
 * data (a replay, or the stream catching up) and is ignored instead of bringing the row back.
 */
@ApplicationScoped
public class WorkOsTombstones {

    private static final String DELETED = "SELECT 1 FROM core.workos_tombstones WHERE workos_id = $1";
    private static final String TOMBSTONE = """
            INSERT INTO core.workos_tombstones (workos_id, event_id) VALUES ($1, $2) ON CONFLICT (workos_id) DO NOTHING""";

    /**
     * Records {@code workosId} as deleted.
     *
     * @param by what deleted it: the WorkOS event id (or a reconciliation's {@code reconcile:...}), or
     *        {@code api:<user id>} for a removal through our API
     * @return true when it was not recorded before
     */
    public Uni<Boolean> record(SqlConnection tx, String workosId, String by) {
        return tx.preparedQuery(TOMBSTONE).execute(Tuple.of(workosId, by)).map(rows -> rows.rowCount() > 0);
    }

    /** Whether {@code workosId} is recorded as deleted. */
    public Uni<Boolean> deleted(SqlConnection tx, String workosId) {
        return tx.preparedQuery(DELETED).execute(Tuple.of(workosId)).map(rows -> rows.size() > 0);
    }
}
