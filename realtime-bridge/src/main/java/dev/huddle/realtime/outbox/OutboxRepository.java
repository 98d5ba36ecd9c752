package dev.huddle.realtime.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The relay's SQL on {@code realtime.outbox}. Ordering: a channel's rows are only ever relayed by the transaction
 * holding that channel's advisory transaction lock, in id order, and a channel whose earliest pending row (its head)
 * is not due yet is not taken at all; so a failed head blocks its channel until it is published or dead.
 */
@ApplicationScoped
public class OutboxRepository {

    /**
     * A pass's one statement before it publishes: locks up to {@code $1} channels whose head is due, oldest head
     * first, and claims their pending rows in id order (the head first), up to {@code $2}, row-locked.
     * <ul>
     * <li>Locks are tried down the due list (pg_try_advisory_xact_lock) until {@code $1} are held, so channels
     * another pass or replica holds are passed over and a second pass takes the next channels rather than none. The
     * CTEs are materialized and {@code locked} has no ORDER BY, so its limit stops the scan (and the locking)
     * early.</li>
     * <li>The rows are read in the statement that takes the locks, so from a snapshot taken before them: a channel
     * whose pass (elsewhere) committed in between still shows its published rows as pending in that snapshot. FOR
     * UPDATE re-reads every row it locks at its newest version and re-checks the WHERE clause (READ COMMITTED), so
     * such rows drop out, and a head retried in between comes back with {@code due} false (the pass then leaves the
     * channel alone). Rows committed after the snapshot wait for the next pass.</li>
     * <li>{@code async_commit} lets the transaction commit without waiting for the WAL flush
     * ({@code set_config(..., true)} is SET LOCAL; the same mechanism as core-api's rate limits). It is joined into
     * {@code due}, so it runs whenever a head is due, i.e. whenever the pass can write anything. Safe for a pass
     * alone: what it records is that rows went out, and a crash that forgets the last passes' records (always the
     * newest: WAL is flushed in order) only makes their rows due again, republished with the same idempotency keys,
     * which Centrifugo answers without publishing twice, as when a replica dies mid-pass. Each pass would otherwise
     * wait for a disk flush before the next could start, and every row committed meanwhile waits with it.</li>
     * </ul>
     * One round trip where the pass had three (SET LOCAL, the channel locks, the claim).
     */
    private static final String CLAIM_DUE = """
            WITH async_commit AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true)),
            heads AS MATERIALIZED (
                SELECT DISTINCT ON (channel) channel, id, next_attempt_at
                FROM realtime.outbox
                WHERE status = 'pending'
                ORDER BY channel, id),
            due AS MATERIALIZED (
                SELECT channel, id FROM heads, async_commit WHERE next_attempt_at <= now() ORDER BY id),
            locked AS MATERIALIZED (
                SELECT channel FROM due
                WHERE pg_try_advisory_xact_lock(hashtext('realtime.outbox'), hashtext(channel))
                LIMIT $1)
            SELECT id, channel, payload, idempotency_key, attempts, created_at, next_attempt_at <= now() AS due
            FROM realtime.outbox
            WHERE status = 'pending' AND channel IN (SELECT channel FROM locked)
            ORDER BY id
            LIMIT $2
            FOR UPDATE SKIP LOCKED""";

    private static final String PUBLISHED = """
            UPDATE realtime.outbox
            SET status = 'published', published_at = now(), attempts = attempts + 1, last_error = NULL
            WHERE id = ANY($1)""";

    private static final String RETRY = """
            UPDATE realtime.outbox
            SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2), last_error = $3
            WHERE id = $1""";

    private static final String DEAD = """
            UPDATE realtime.outbox
            SET status = 'dead', attempts = attempts + 1, last_error = $2
            WHERE id = $1""";

    private static final String PRUNE = """
            DELETE FROM realtime.outbox
            WHERE status = 'published' AND published_at < now() - make_interval(secs => $1)""";

    private static final String STATS = """
            SELECT count(*) AS depth, coalesce(extract(epoch FROM now() - min(created_at)), 0) AS oldest
            FROM realtime.outbox WHERE status = 'pending'""";

    /** Advertises this replica as busy until {@code $2} seconds from now: writers skip their NOTIFY meanwhile. */
    private static final String BUSY = """
            INSERT INTO realtime.relay_replicas (replica, busy_until) VALUES ($1, clock_timestamp() + make_interval(secs => $2))
            ON CONFLICT (replica) DO UPDATE SET busy_until = EXCLUDED.busy_until, seen_at = now()""";

    /** This replica went idle: writers wake it with NOTIFY again. */
    private static final String IDLE = """
            UPDATE realtime.relay_replicas SET busy_until = clock_timestamp(), seen_at = now() WHERE replica = $1""";

    /** Replicas not seen for a day are gone (restarted or scaled down). */
    private static final String PRUNE_REPLICAS = """
            DELETE FROM realtime.relay_replicas WHERE seen_at < now() - interval '1 day' AND busy_until < now()""";

    /** The rooms of some orgs ({@code core.room_directory}), for unsubscribing members who lost access. */
    private static final String ROOMS_OF = """
            SELECT org_id, room_id FROM core.room_directory WHERE org_id = ANY($1)""";

    private final Pool pool;

    public OutboxRepository(Pool pool) {
        this.pool = pool;
    }

    /** Locks due channels and claims their rows, in the pass's transaction {@code tx} (see CLAIM_DUE). */
    Uni<List<OutboxRow>> claimDue(SqlConnection tx, int maxChannels, int limit) {
        return tx.preparedQuery(CLAIM_DUE).execute(Tuple.of(maxChannels, limit)).map(rows -> {
            List<OutboxRow> claimed = new ArrayList<>();
            for (Row row : rows) {
                claimed.add(OutboxRow.from(row));
            }
            return claimed;
        });
    }

    Uni<Void> published(SqlConnection tx, List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(PUBLISHED).execute(Tuple.of(ids.toArray(Long[]::new))).replaceWithVoid();
    }

    Uni<Void> retry(SqlConnection tx, long id, Duration delay, String error) {
        return tx.preparedQuery(RETRY).execute(Tuple.of(id, delay.toMillis() / 1000.0, error)).replaceWithVoid();
    }

    Uni<Void> dead(SqlConnection tx, long id, String error) {
        return tx.preparedQuery(DEAD).execute(Tuple.of(id, error)).replaceWithVoid();
    }

    /** Room ids by org id for {@code orgIds}; orgs without rooms are absent. */
    Uni<Map<UUID, List<UUID>>> roomsOf(SqlConnection tx, List<UUID> orgIds) {
        if (orgIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return tx.preparedQuery(ROOMS_OF).execute(Tuple.of(orgIds.toArray(UUID[]::new))).map(rows -> {
            Map<UUID, List<UUID>> rooms = new HashMap<>();
            for (Row row : rows) {
                rooms.computeIfAbsent(row.getUUID("org_id"), o -> new ArrayList<>()).add(row.getUUID("room_id"));
            }
            return rooms;
        });
    }

    Uni<Void> busy(UUID replica, Duration lease) {
        return pool.preparedQuery(BUSY).execute(Tuple.of(replica, lease.toMillis() / 1000.0)).replaceWithVoid();
    }

    Uni<Void> idle(UUID replica) {
        return pool.preparedQuery(IDLE).execute(Tuple.of(replica)).replaceWithVoid();
    }

    /** Deletes published rows older than {@code retention} (and long-gone replicas); answers how many rows. */
    public Uni<Integer> prune(Duration retention) {
        return pool.query(PRUNE_REPLICAS).execute()
                .chain(() -> pool.preparedQuery(PRUNE).execute(Tuple.of((double) retention.toSeconds())))
                .map(rows -> rows.rowCount());
    }

    /** Pending rows and the age in seconds of the oldest. */
    Uni<double[]> stats() {
        return pool.query(STATS).execute().map(rows -> {
            Row row = rows.iterator().next();
            return new double[] { row.getLong("depth"), row.getNumeric("oldest").doubleValue() };
        });
    }
}
