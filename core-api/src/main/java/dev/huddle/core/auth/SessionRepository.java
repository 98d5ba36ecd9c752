package dev.huddle.core.auth;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** SQL of sign-in sessions ({@code core.auth_sessions}) and their refresh tokens' hashes. */
@ApplicationScoped
public class SessionRepository {

    /** A refresh token's hash found: its session and which of the session's tokens it is. */
    record TokenRef(UUID sessionId, int generation) {
    }

    /**
     * A session as read under its row lock.
     *
     * @param inGrace whether the last rotation is less than the reuse interval ago
     * @param backoffSeconds while WorkOS was unavailable for it: seconds until it may be called again; else null
     * @param leased whether a refresh holds a lease on it now (is calling WorkOS)
     */
    record SessionRow(UUID id, String workosUserId, String workosOrgId, int generation, String keyId,
            byte[] refreshTokenEnc, byte[] accessTokenEnc, boolean inGrace, Long backoffSeconds, boolean leased) {
    }

    // set_config(..., true) is SET LOCAL: it ends with the transaction (and is safe behind a transaction pooler)
    private static final String LOCK_TIMEOUT = "SELECT set_config('lock_timeout', $1, true)";
    private static final String INSERT_SESSION = """
            INSERT INTO core.auth_sessions (id, workos_user_id, workos_org_id, key_id, refresh_token_enc, access_token_enc)
            VALUES ($1, $2, $3, $4, $5, $6)""";
    private static final String INSERT_TOKEN = """
            INSERT INTO core.auth_refresh_tokens (token_hash, session_id, generation) VALUES ($1, $2, $3)""";
    private static final String FIND_TOKEN = """
            SELECT session_id, generation FROM core.auth_refresh_tokens WHERE token_hash = $1""";
    // waits for a refresh of the same session in progress (on any replica) to commit or roll back
    private static final String LOCK = "SELECT id FROM core.auth_sessions WHERE id = $1 FOR UPDATE";
    // read after the lock, in a statement of its own: a fresh snapshot that sees what the refresh we waited for did,
    // and times taken after the wait. $2: the reuse interval in seconds
    private static final String READ = """
            SELECT id, workos_user_id, workos_org_id, generation, key_id, refresh_token_enc, access_token_enc,
                   coalesce(rotated_at > clock_timestamp() - make_interval(secs => $2), false) AS in_grace,
                   CASE WHEN retry_not_before > clock_timestamp()
                        THEN ceil(extract(epoch FROM retry_not_before - clock_timestamp()))::bigint END AS backoff_seconds,
                   coalesce(refresh_lease_until > clock_timestamp(), false) AS leased
            FROM core.auth_sessions WHERE id = $1""";
    // $3: how long the lease lasts, in seconds
    private static final String LEASE = """
            UPDATE core.auth_sessions
            SET refresh_lease_id = $2, refresh_lease_until = clock_timestamp() + make_interval(secs => $3)
            WHERE id = $1""";
    // the session, locked, if the lease taken before the call to WorkOS is still its own
    private static final String LOCK_LEASED = """
            SELECT id FROM core.auth_sessions WHERE id = $1 AND refresh_lease_id = $2 AND generation = $3 FOR UPDATE""";
    // clock_timestamp(), not now(): the transaction began before the call to WorkOS
    private static final String ROTATE = """
            UPDATE core.auth_sessions
            SET generation = generation + 1, workos_user_id = $3, workos_org_id = $4, key_id = $5,
                refresh_token_enc = $6, access_token_enc = $7,
                rotated_at = clock_timestamp(), refreshed_at = clock_timestamp(), retry_not_before = NULL,
                refresh_lease_id = NULL, refresh_lease_until = NULL
            WHERE id = $1 AND generation = $2""";
    // keeps the current and the previous token, and older ones for the retention ($3 seconds)
    private static final String PRUNE_TOKENS = """
            DELETE FROM core.auth_refresh_tokens
            WHERE session_id = $1 AND generation < $2 - 1 AND created_at < clock_timestamp() - make_interval(secs => $3)""";
    private static final String BACK_OFF = """
            UPDATE core.auth_sessions
            SET retry_not_before = clock_timestamp() + make_interval(secs => $2), refresh_lease_id = NULL,
                refresh_lease_until = NULL
            WHERE id = $1""";
    private static final String DELETE = "DELETE FROM core.auth_sessions WHERE id = $1";
    private static final String DELETE_BY_TOKEN = """
            DELETE FROM core.auth_sessions
            WHERE id = (SELECT session_id FROM core.auth_refresh_tokens WHERE token_hash = $1)""";
    private static final String PRUNE_IDLE = """
            DELETE FROM core.auth_sessions WHERE refreshed_at < clock_timestamp() - make_interval(secs => $1)""";

    private static final String USE_STATE = """
            INSERT INTO core.auth_login_states_used (nonce, expires_at) VALUES ($1, $2) ON CONFLICT (nonce) DO NOTHING""";
    private static final String PRUNE_USED_STATES = "DELETE FROM core.auth_login_states_used WHERE expires_at < clock_timestamp()";

    /** Records a sign-in state's nonce as used; false when it was already. */
    Uni<Boolean> useState(SqlClient client, String nonce, Instant expiresAt) {
        return client.preparedQuery(USE_STATE).execute(Tuple.of(nonce, expiresAt.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Deletes the records of used states that have expired (refused by their expiry anyway); the number deleted. */
    Uni<Integer> pruneUsedStates(SqlClient client) {
        return client.preparedQuery(PRUNE_USED_STATES).execute().map(rows -> rows.rowCount());
    }

    Uni<Void> lockTimeout(SqlClient tx, Duration timeout) {
        return tx.preparedQuery(LOCK_TIMEOUT).execute(Tuple.of(timeout.toMillis() + "ms")).replaceWithVoid();
    }

    Uni<Void> insert(SqlClient tx, UUID id, String workosUserId, String workosOrgId, String keyId, byte[] refreshEnc,
            byte[] accessEnc, byte[] tokenHash) {
        return tx.preparedQuery(INSERT_SESSION)
                .execute(Tuple.from(new Object[] { id, workosUserId, workosOrgId, keyId, Buffer.buffer(refreshEnc),
                        Buffer.buffer(accessEnc) }))
                .chain(() -> tx.preparedQuery(INSERT_TOKEN).execute(Tuple.of(Buffer.buffer(tokenHash), id, 0)))
                .replaceWithVoid();
    }

    Uni<TokenRef> findToken(SqlClient tx, byte[] tokenHash) {
        return tx.preparedQuery(FIND_TOKEN).execute(Tuple.of(Buffer.buffer(tokenHash))).map(rows -> {
            for (Row row : rows) {
                return new TokenRef(row.getUUID("session_id"), row.getInteger("generation"));
            }
            return null;
        });
    }

    /** Locks the session's row (waiting for a concurrent refresh of it) and reads it; null when it is gone. */
    Uni<SessionRow> lock(SqlClient tx, UUID id, Duration reuseInterval) {
        return tx.preparedQuery(LOCK).execute(Tuple.of(id)).chain(locked -> {
            if (locked.rowCount() == 0) {
                return Uni.createFrom().nullItem();
            }
            return tx.preparedQuery(READ).execute(Tuple.of(id, seconds(reuseInterval))).map(rows -> {
                for (Row row : rows) {
                    return new SessionRow(row.getUUID("id"), row.getString("workos_user_id"),
                            row.getString("workos_org_id"), row.getInteger("generation"), row.getString("key_id"),
                            row.getBuffer("refresh_token_enc").getBytes(), row.getBuffer("access_token_enc").getBytes(),
                            row.getBoolean("in_grace"), row.getLong("backoff_seconds"), row.getBoolean("leased"));
                }
                return null;
            });
        });
    }

    /** Takes the session's refresh lease (the caller holds its row lock) for {@code duration}. */
    Uni<Void> lease(SqlClient tx, UUID id, UUID leaseId, Duration duration) {
        return tx.preparedQuery(LEASE).execute(Tuple.of(id, leaseId, seconds(duration))).replaceWithVoid();
    }

    /** Locks the session if it still is at {@code generation} under the lease {@code leaseId}; false otherwise. */
    Uni<Boolean> lockLeased(SqlClient tx, UUID id, UUID leaseId, int generation) {
        return tx.preparedQuery(LOCK_LEASED).execute(Tuple.of(id, leaseId, generation)).map(rows -> rows.rowCount() == 1);
    }

    /**
     * Moves the session to its next refresh token; false when another refresh moved it first (cannot happen under the lock).
     */
    Uni<Boolean> rotate(SqlClient tx, SessionRow session, String workosUserId, String workosOrgId, String keyId,
            byte[] refreshEnc, byte[] accessEnc, byte[] newTokenHash, Duration retiredRetention) {
        int next = session.generation() + 1;
        return tx.preparedQuery(ROTATE)
                .execute(Tuple.from(new Object[] { session.id(), session.generation(), workosUserId, workosOrgId, keyId,
                        Buffer.buffer(refreshEnc), Buffer.buffer(accessEnc) }))
                .chain(updated -> {
                    if (updated.rowCount() != 1) {
                        return Uni.createFrom().item(false);
                    }
                    return tx.preparedQuery(INSERT_TOKEN).execute(Tuple.of(Buffer.buffer(newTokenHash), session.id(), next))
                            .chain(() -> tx.preparedQuery(PRUNE_TOKENS)
                                    .execute(Tuple.of(session.id(), next, seconds(retiredRetention))))
                            .replaceWith(true);
                });
    }

    Uni<Void> backOff(SqlClient tx, UUID id, Duration wait) {
        return tx.preparedQuery(BACK_OFF).execute(Tuple.of(id, seconds(wait))).replaceWithVoid();
    }

    Uni<Void> delete(SqlClient tx, UUID id) {
        return tx.preparedQuery(DELETE).execute(Tuple.of(id)).replaceWithVoid();
    }

    /** Deletes the session any of whose refresh tokens hashes to this; false when there is none. */
    Uni<Boolean> deleteByToken(SqlClient tx, byte[] tokenHash) {
        return tx.preparedQuery(DELETE_BY_TOKEN).execute(Tuple.of(Buffer.buffer(tokenHash))).map(rows -> rows.rowCount() > 0);
    }

    /** Deletes sessions nobody refreshed for {@code idle}; the number deleted. */
    Uni<Integer> pruneIdle(SqlClient client, Duration idle) {
        return client.preparedQuery(PRUNE_IDLE).execute(Tuple.of(seconds(idle))).map(rows -> rows.rowCount());
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
