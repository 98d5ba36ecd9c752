package dev.huddle.core.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.platform.paging.Cursor;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The SQL of chat. Every statement is scoped by org id as well as by room. */
@ApplicationScoped
public class MessageRepository {

    private static final String ROOM_EXISTS = """
            SELECT 1 FROM core.rooms WHERE org_id = $1 AND id = $2""";

    // one round trip tells "no such room in this org" from "no such message in this room"
    private static final String LOOKUP = """
            SELECT r.id AS in_room, m.id, m.room_id, m.parent_id, m.author_id, m.body, m.reply_count, m.created_at,
                   m.updated_at
            FROM core.rooms r
            LEFT JOIN core.messages m ON m.org_id = r.org_id AND m.room_id = r.id AND m.id = $3
            WHERE r.org_id = $1 AND r.id = $2""";

    // history: top-level messages, served by messages_room_history_idx; the first page and the next ones are
    // separate statements so that each always plans as an index range scan. The room check is the same statement:
    // no row when the room is not in the org, one row of nulls when it has no messages (one round trip, not two)
    private static final String HISTORY_FIRST = """
            SELECT m.id, m.room_id, m.parent_id, m.author_id, m.body, m.reply_count, m.created_at, m.updated_at
            FROM core.rooms r
            LEFT JOIN LATERAL (
                SELECT id, room_id, parent_id, author_id, body, reply_count, created_at, updated_at
                FROM core.messages
                WHERE org_id = r.org_id AND room_id = r.id AND parent_id IS NULL
                ORDER BY created_at DESC, id DESC
                LIMIT $3) m ON true
            WHERE r.org_id = $1 AND r.id = $2
            ORDER BY m.created_at DESC, m.id DESC""";
    private static final String HISTORY_NEXT = """
            SELECT m.id, m.room_id, m.parent_id, m.author_id, m.body, m.reply_count, m.created_at, m.updated_at
            FROM core.rooms r
            LEFT JOIN LATERAL (
                SELECT id, room_id, parent_id, author_id, body, reply_count, created_at, updated_at
                FROM core.messages
                WHERE org_id = r.org_id AND room_id = r.id AND parent_id IS NULL AND (created_at, id) < ($3, $4)
                ORDER BY created_at DESC, id DESC
                LIMIT $5) m ON true
            WHERE r.org_id = $1 AND r.id = $2
            ORDER BY m.created_at DESC, m.id DESC""";

    // a thread, served by messages_thread_idx
    private static final String REPLIES_FIRST = """
            SELECT id, room_id, parent_id, author_id, body, reply_count, created_at, updated_at
            FROM core.messages
            WHERE org_id = $1 AND room_id = $2 AND parent_id = $3
            ORDER BY created_at DESC, id DESC
            LIMIT $4""";
    private static final String REPLIES_NEXT = """
            SELECT id, room_id, parent_id, author_id, body, reply_count, created_at, updated_at
            FROM core.messages
            WHERE org_id = $1 AND room_id = $2 AND parent_id = $3 AND (created_at, id) < ($4, $5)
            ORDER BY created_at DESC, id DESC
            LIMIT $6""";

    // counts the reply and locks the parent for the rest of the transaction; only a top-level message qualifies
    private static final String COUNT_REPLY = """
            UPDATE core.messages SET reply_count = reply_count + 1
            WHERE org_id = $1 AND room_id = $2 AND id = $3 AND parent_id IS NULL
            RETURNING id""";

    private static final String IS_REPLY = """
            SELECT parent_id IS NOT NULL AS is_reply
            FROM core.messages
            WHERE org_id = $1 AND room_id = $2 AND id = $3""";

    private static final String INSERT = """
            INSERT INTO core.messages (org_id, room_id, author_id, parent_id, body)
            VALUES ($1, $2, $3, $4, $5)
            RETURNING id, room_id, parent_id, author_id, body, reply_count, created_at, updated_at""";

    private static final String EDIT = """
            UPDATE core.messages SET body = $5, updated_at = now()
            WHERE org_id = $1 AND room_id = $2 AND id = $3 AND author_id = $4
            RETURNING id, room_id, parent_id, author_id, body, reply_count, created_at, updated_at""";

    // a reply's delete locks its parent first, as posting a reply and deleting the parent do: one lock order
    private static final String LOCK_PARENT = """
            SELECT id FROM core.messages
            WHERE org_id = $1 AND room_id = $2 AND id = $3
            FOR NO KEY UPDATE""";

    private static final String DELETE = """
            DELETE FROM core.messages
            WHERE org_id = $1 AND room_id = $2 AND id = $3
            RETURNING parent_id""";

    private static final String UNCOUNT_REPLY = """
            UPDATE core.messages SET reply_count = reply_count - 1
            WHERE org_id = $1 AND room_id = $2 AND id = $3""";

    /** What {@link #lookup} found: whether the room is in the org, and the message if it is in that room. */
    public record Lookup(boolean roomFound, Message message) {
    }

    /** A deleted message's parent (null when it was top-level). */
    public record Deleted(UUID parentId) {
    }

    private final Pool pool;

    public MessageRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Boolean> roomExists(SqlClient client, UUID orgId, UUID roomId) {
        return client.preparedQuery(ROOM_EXISTS).execute(Tuple.of(orgId, roomId)).map(rows -> rows.size() > 0);
    }

    public Uni<Lookup> lookup(SqlClient client, UUID orgId, UUID roomId, UUID messageId) {
        return client.preparedQuery(LOOKUP).execute(Tuple.of(orgId, roomId, messageId)).map(rows -> {
            if (rows.size() == 0) {
                return new Lookup(false, null);
            }
            Row row = rows.iterator().next();
            return new Lookup(true, row.getUUID("id") == null ? null : toMessage(row));
        });
    }

    /**
     * Up to {@code fetch} top-level messages of the room after {@code after}, newest first; null when the room is not
     * in the org. One statement checks the room and reads the page.
     */
    public Uni<List<Message>> history(UUID orgId, UUID roomId, Cursor after, int fetch) {
        Uni<RowSet<Row>> rows = after == null
                ? pool.preparedQuery(HISTORY_FIRST).execute(Tuple.of(orgId, roomId, fetch))
                : pool.preparedQuery(HISTORY_NEXT).execute(Tuple.of(orgId, roomId, after.createdAt(), after.id(), fetch));
        return rows.map(found -> {
            if (found.size() == 0) {
                return null;
            }
            List<Message> list = new ArrayList<>(found.size());
            for (Row row : found) {
                if (row.getUUID("id") != null) {
                    list.add(toMessage(row));
                }
            }
            return list;
        });
    }

    /** Up to {@code fetch} replies to {@code parentId} after {@code after}, newest first. */
    public Uni<List<Message>> replies(UUID orgId, UUID roomId, UUID parentId, Cursor after, int fetch) {
        if (after == null) {
            return pool.preparedQuery(REPLIES_FIRST).execute(Tuple.of(orgId, roomId, parentId, fetch))
                    .map(MessageRepository::toMessages);
        }
        return pool.preparedQuery(REPLIES_NEXT)
                .execute(Tuple.of(orgId, roomId, parentId, after.createdAt(), after.id(), fetch))
                .map(MessageRepository::toMessages);
    }

    /** Counts one more reply on a top-level message and locks it; false when there is no such top-level message. */
    public Uni<Boolean> countReply(SqlClient tx, UUID orgId, UUID roomId, UUID parentId) {
        return tx.preparedQuery(COUNT_REPLY).execute(Tuple.of(orgId, roomId, parentId)).map(rows -> rows.rowCount() == 1);
    }

    /** Whether the message is a reply; null when there is no such message in the room. */
    public Uni<Boolean> isReply(SqlClient client, UUID orgId, UUID roomId, UUID messageId) {
        return client.preparedQuery(IS_REPLY).execute(Tuple.of(orgId, roomId, messageId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getBoolean("is_reply"));
    }

    public Uni<Message> insert(SqlClient tx, UUID orgId, UUID roomId, UUID authorId, UUID parentId, String body) {
        return tx.preparedQuery(INSERT).execute(Tuple.of(orgId, roomId, authorId, parentId, body))
                .map(rows -> toMessage(rows.iterator().next()));
    }

    /** Replaces the body if {@code authorId} wrote the message; null when no such message of theirs. */
    public Uni<Message> edit(SqlClient tx, UUID orgId, UUID roomId, UUID messageId, UUID authorId, String body) {
        return tx.preparedQuery(EDIT).execute(Tuple.of(orgId, roomId, messageId, authorId, body))
                .map(rows -> rows.size() == 0 ? null : toMessage(rows.iterator().next()));
    }

    public Uni<Void> lockParent(SqlClient tx, UUID orgId, UUID roomId, UUID parentId) {
        return tx.preparedQuery(LOCK_PARENT).execute(Tuple.of(orgId, roomId, parentId)).replaceWithVoid();
    }

    /** Deletes the message (and its thread); null when this statement deleted nothing (already gone). */
    public Uni<Deleted> delete(SqlClient tx, UUID orgId, UUID roomId, UUID messageId) {
        return tx.preparedQuery(DELETE).execute(Tuple.of(orgId, roomId, messageId))
                .map(rows -> rows.rowCount() == 0 ? null : new Deleted(rows.iterator().next().getUUID("parent_id")));
    }

    public Uni<Void> uncountReply(SqlClient tx, UUID orgId, UUID roomId, UUID parentId) {
        return tx.preparedQuery(UNCOUNT_REPLY).execute(Tuple.of(orgId, roomId, parentId)).replaceWithVoid();
    }

    private static List<Message> toMessages(RowSet<Row> rows) {
        List<Message> list = new ArrayList<>(rows.size());
        for (Row row : rows) {
            list.add(toMessage(row));
        }
        return list;
    }

    static Message toMessage(Row row) {
        return new Message(row.getUUID("id"), row.getUUID("room_id"), row.getUUID("parent_id"),
                row.getUUID("author_id"), row.getString("body"), row.getInteger("reply_count"),
                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
    }
}
