package dev.huddle.core.rooms;

import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.platform.outbox.Channels;
import dev.huddle.platform.outbox.OutboxWriter;
import dev.huddle.platform.paging.Cursor;
import dev.huddle.platform.paging.Page;
import dev.huddle.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Rooms of an org. Deleting a room deletes its messages and presence (foreign keys cascade) and leaves its
 * recordings, which belong to the org, with {@code room_id} set to NULL (seed N2).
 */
@ApplicationScoped
public class RoomService {

    private final Pool pool;
    private final RoomRepository rooms;
    private final OutboxWriter outbox;

    public RoomService(Pool pool, RoomRepository rooms, OutboxWriter outbox) {
        this.pool = pool;
        this.rooms = rooms;
        this.outbox = outbox;
    }

    /** A page of the org's rooms, newest first, after {@code after} (null: the first page). */
    public Uni<Page<Room>> list(UUID orgId, Cursor after, int limit) {
        return rooms.list(orgId, after, Page.fetchSize(limit))
                .map(rows -> Page.of(rows, limit, r -> new Cursor(r.createdAt(), r.id()), r -> r));
    }

    /** The org's room {@code roomId}, or a 404 problem. */
    public Uni<Room> get(UUID orgId, UUID roomId) {
        return rooms.find(orgId, roomId).plug(ProblemException.orNotFound("room"));
    }

    public Uni<Room> create(UUID orgId, String name, UUID createdBy) {
        UUID id = UUID.randomUUID();
        return pool.withTransaction(tx -> rooms.insert(tx, id, orgId, name.strip(), livekitRoomName(id), createdBy)
                .call(room -> outbox.append(tx, Channels.org(orgId), "room.created", event(room))));
    }

    public Uni<Room> rename(UUID orgId, UUID roomId, String name) {
        return pool.withTransaction(tx -> rooms.rename(tx, orgId, roomId, name.strip())
                .plug(ProblemException.orNotFound("room"))
                .call(room -> outbox.append(tx, Channels.org(orgId), "room.updated", event(room))));
    }

    public Uni<Void> delete(UUID orgId, UUID roomId) {
        return pool.withTransaction(tx -> rooms.delete(tx, orgId, roomId)
                .invoke(deleted -> ProblemException.requireExists(deleted, "room"))
                .chain(() -> outbox.append(tx, Channels.org(orgId), "room.deleted", Map.of("roomId", roomId.toString()))));
    }

    /** Unique by construction, and safe in LiveKit (ASCII, no separators it treats specially). */
    static String livekitRoomName(UUID roomId) {
        return "room_" + roomId.toString().replace("-", "");
    }

    private static Map<String, Object> event(Room room) {
        return Map.of("roomId", room.id().toString(), "name", room.name(), "livekitRoomName", room.livekitRoomName());
    }
}
