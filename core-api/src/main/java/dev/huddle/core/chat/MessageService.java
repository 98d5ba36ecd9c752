package dev.huddle.core.chat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.core.ratelimit.RateLimiter;
import dev.huddle.platform.outbox.Channels;
import dev.huddle.platform.outbox.OutboxWriter;
import dev.huddle.platform.paging.Cursor;
import dev.huddle.platform.paging.Page;
import dev.huddle.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Chat in a room: posting (rate-limited), threads one level deep, editing by the author, deleting by the
 * author or a moderator. Each write commits together with its {@code realtime.outbox} event on
 * {@code room:<roomId>}, and a reply's insert or delete adjusts its parent's {@code reply_count} in the same
 * transaction, so the count stays exact under concurrency.
 */
@ApplicationScoped
public class MessageService {

    /** Longest body, in Unicode code points after trimming. */
    public static final int MAX_BODY = 4000;

    static final String CREATED = "message.created";
    static final String UPDATED = "message.updated";
    static final String DELETED = "message.deleted";

    private final Pool pool;
    private final MessageRepository messages;
    private final RateLimiter rateLimiter;
    private final RateLimiter.Limit postingLimit;
    private final OutboxWriter outbox;

    public MessageService(Pool pool, MessageRepository messages, RateLimiter rateLimiter, ChatConfig config,
            OutboxWriter outbox) {
        this.pool = pool;
        this.messages = messages;
        this.rateLimiter = rateLimiter;
        this.postingLimit = new RateLimiter.Limit("chat-posts", config.rateLimit().messages(),
                config.rateLimit().period(), "messages per member in an organization");
        this.outbox = outbox;
    }

    /**
     * Posts a message, or a reply when {@code parentId} is set. 404 when the room is not in the org; 429 when the
     * author is over the rate limit; 400 when the parent is not a top-level message of the room.
     */
    public Uni<Message> post(UUID orgId, UUID roomId, UUID authorId, String body, UUID parentId) {
        String text = normalize(body);
        return pool.withTransaction(tx -> messages.roomExists(tx, orgId, roomId)
                .chain(found -> {
                    ProblemException.requireExists(found, "room");
                    // in the posting transaction: a post refused later gives its token back
                    return rateLimiter.take(tx, postingLimit, orgId + "|" + authorId);
                })
                .chain(() -> parentId == null ? Uni.createFrom().voidItem() : countReply(tx, orgId, roomId, parentId))
                .chain(() -> messages.insert(tx, orgId, roomId, authorId, parentId, text))
                .call(message -> outbox.append(tx, Channels.room(roomId), CREATED, event(message))));
    }

    /** Counts the reply on its parent, which must be a top-level message of the room (else 400). */
    private Uni<Void> countReply(SqlConnection tx, UUID orgId, UUID roomId, UUID parentId) {
        return messages.countReply(tx, orgId, roomId, parentId).chain(counted -> {
            if (counted) {
                return Uni.createFrom().voidItem();
            }
            return messages.isReply(tx, orgId, roomId, parentId).chain(isReply -> Uni.createFrom().<Void> failure(
                    isReply == null
                            ? ProblemException.invalid("parentId", "no such message in this room")
                            : ProblemException.invalid("parentId",
                                    "is a reply; threads are one level deep, reply to its top-level message")));
        });
    }

    /** The message, or 404 (room or message). */
    public Uni<Message> get(UUID orgId, UUID roomId, UUID messageId) {
        return messages.lookup(pool, orgId, roomId, messageId).map(MessageService::require);
    }

    /** Top-level messages of the room, newest first; each carries its thread's reply count. */
    public Uni<Page<Message>> history(UUID orgId, UUID roomId, Cursor after, int limit) {
        return messages.history(orgId, roomId, after, Page.fetchSize(limit))
                .map(rows -> Page.of(ProblemException.requireFound(rows, "room"), limit, MessageService::position,
                        m -> m));
    }

    /** The replies in a message's thread, newest first (none for a reply). */
    public Uni<Page<Message>> replies(UUID orgId, UUID roomId, UUID messageId, Cursor after, int limit) {
        return messages.lookup(pool, orgId, roomId, messageId)
                .chain(found -> {
                    require(found);
                    return messages.replies(orgId, roomId, messageId, after, Page.fetchSize(limit));
                })
                .map(rows -> Page.of(rows, limit, MessageService::position, m -> m));
    }

    /** Replaces the body; only the author may (403 for anyone else, moderators included). */
    public Uni<Message> edit(UUID orgId, UUID roomId, UUID messageId, UUID callerId, String body) {
        String text = normalize(body);
        return pool.withTransaction(tx -> messages.lookup(tx, orgId, roomId, messageId)
                .chain(found -> {
                    Message message = require(found);
                    if (!callerId.equals(message.authorId())) {
                        throw ProblemException.forbidden("only its author may edit a message");
                    }
                    return messages.edit(tx, orgId, roomId, messageId, callerId, text);
                })
                .plug(ProblemException.orNotFound("message")) // deleted meanwhile
                .call(edited -> outbox.append(tx, Channels.room(roomId), UPDATED, event(edited))));
    }

    /**
     * Deletes a message and its thread; its author may, and so may a moderator ({@code canModerate}). A reply's
     * delete locks the parent first (the lock order of every thread write), then uncounts the reply only if this
     * delete removed it.
     */
    public Uni<Void> delete(UUID orgId, UUID roomId, UUID messageId, UUID callerId, boolean canModerate) {
        return pool.withTransaction(tx -> messages.lookup(tx, orgId, roomId, messageId)
                .chain(found -> {
                    Message message = require(found);
                    if (!callerId.equals(message.authorId()) && !canModerate) {
                        throw ProblemException.forbidden("only its author or an admin may delete a message");
                    }
                    Uni<Void> lock = message.parentId() == null ? Uni.createFrom().voidItem()
                            : messages.lockParent(tx, orgId, roomId, message.parentId());
                    return lock.chain(() -> messages.delete(tx, orgId, roomId, messageId));
                })
                .plug(ProblemException.orNotFound("message")) // a concurrent delete won
                .chain(deleted -> {
                    Uni<Void> uncount = deleted.parentId() == null ? Uni.createFrom().voidItem()
                            : messages.uncountReply(tx, orgId, roomId, deleted.parentId());
                    return uncount.chain(() -> outbox.append(tx, Channels.room(roomId), DELETED,
                            deletedEvent(messageId, roomId, deleted.parentId())));
                }));
    }

    /** Trims the body and checks its length in code points, as the database counts them. */
    static String normalize(String body) {
        String text = body == null ? "" : body.strip();
        int length = text.codePointCount(0, text.length());
        if (length < 1 || length > MAX_BODY) {
            throw ProblemException.invalid("body", "must be 1 to " + MAX_BODY + " characters after trimming");
        }
        return text;
    }

    private static Message require(MessageRepository.Lookup found) {
        ProblemException.requireExists(found.roomFound(), "room");
        return ProblemException.requireFound(found.message(), "message");
    }

    private static Cursor position(Message m) {
        return new Cursor(m.createdAt(), m.id());
    }

    /** The event data: the message as the API shows it, timestamps as ISO-8601 strings. */
    static Map<String, Object> event(Message m) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", m.id().toString());
        data.put("roomId", m.roomId().toString());
        data.put("parentId", m.parentId() == null ? null : m.parentId().toString());
        data.put("authorId", m.authorId() == null ? null : m.authorId().toString());
        data.put("body", m.body());
        data.put("replyCount", m.replyCount());
        data.put("createdAt", m.createdAt().toString());
        data.put("updatedAt", m.updatedAt().toString());
        return data;
    }

    static Map<String, Object> deletedEvent(UUID messageId, UUID roomId, UUID parentId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", messageId.toString());
        data.put("roomId", roomId.toString());
        data.put("parentId", parentId == null ? null : parentId.toString());
        return data;
    }
}
