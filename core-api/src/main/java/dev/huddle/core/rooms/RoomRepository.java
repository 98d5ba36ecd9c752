package dev.huddle.core.rooms;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.platform.paging.Cursor;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Rooms SQL; every statement is scoped by org. */
@ApplicationScoped
public class RoomRepository {

    private static final String RETURNING = " RETURNING id, org_id, name, livekit_room_name, created_by, created_at, updated_at";
    private static final String INSERT = """
            INSERT INTO core.rooms (id, org_id, name, livekit_room_name, created_by) VALUES ($1, $2, $3, $4, $5)""" + RETURNING;
    private static final String FIND = """
            SELECT id, org_id, name, livekit_room_name, created_by, created_at, updated_at
            FROM core.rooms WHERE org_id = $1 AND id = $2""";
    private static final String LIST = """
            SELECT id, org_id, name, livekit_room_name, created_by, created_at, updated_at
            FROM core.rooms
            WHERE org_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
            ORDER BY created_at DESC, id DESC
            LIMIT $4""";
    private static final String RENAME = "UPDATE core.rooms SET name = $3, updated_at = now() WHERE org_id = $1 AND id = $2"
            + RETURNING;
    private static final String DELETE = "DELETE FROM core.rooms WHERE org_id = $1 AND id = $2";

    private final Pool pool;

    public RoomRepository(Pool pool) {
        this.pool = pool;
    }

    Uni<Room> insert(SqlConnection tx, UUID id, UUID orgId, String name, String livekitRoomName, UUID createdBy) {
        return tx.preparedQuery(INSERT).execute(Tuple.of(id, orgId, name, livekitRoomName, createdBy))
                .map(rows -> toRoom(rows.iterator().next()));
    }

    public Uni<Room> find(UUID orgId, UUID roomId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(orgId, roomId))
                .map(rows -> rows.size() == 0 ? null : toRoom(rows.iterator().next()));
    }

    Uni<List<Room>> list(UUID orgId, Cursor after, int fetch) {
        OffsetDateTime at = after == null ? null : after.createdAt();
        UUID id = after == null ? null : after.id();
        return pool.preparedQuery(LIST).execute(Tuple.of(orgId, at, id, fetch)).map(rows -> {
            List<Room> rooms = new ArrayList<>(rows.size());
            rows.forEach(row -> rooms.add(toRoom(row)));
            return rooms;
        });
    }

    Uni<Room> rename(SqlConnection tx, UUID orgId, UUID roomId, String name) {
        return tx.preparedQuery(RENAME).execute(Tuple.of(orgId, roomId, name))
                .map(rows -> rows.size() == 0 ? null : toRoom(rows.iterator().next()));
    }

    /** @return whether a room was deleted */
    Uni<Boolean> delete(SqlConnection tx, UUID orgId, UUID roomId) {
        return tx.preparedQuery(DELETE).execute(Tuple.of(orgId, roomId)).map(rows -> rows.rowCount() == 1);
    }

    static Room toRoom(Row row) {
        return new Room(row.getUUID("id"), row.getUUID("org_id"), row.getString("name"),
                row.getString("livekit_room_name"), row.getUUID("created_by"), row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("updated_at"));
    }
}
