package dev.huddle.core.presence;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** {@code core.room_presence}: one row per LiveKit participant session (sid) per room. */
@ApplicationScoped
public class PresenceRepository {

    private static final String CHANGE_COLUMNS = "org_id, room_id, participant_sid, identity, user_id, state, joined_at, left_at";

    private static final String FIND_ROOM = """
            SELECT org_id, id, livekit_room_name FROM core.rooms WHERE livekit_room_name = $1""";

    private static final String INSERT_IF_ABSENT = """
            INSERT INTO core.room_presence
                (org_id, room_id, participant_sid, identity, user_id, state, joined_at, left_at, last_event_at)
            VALUES ($1, $2, $3, $4, (SELECT id FROM core.users WHERE workos_user_id = $4), $5, $6, $7, $8)
            ON CONFLICT (room_id, participant_sid) DO NOTHING
            RETURNING\s""" + CHANGE_COLUMNS;

    private static final String LOCK = """
            SELECT state, last_event_at FROM core.room_presence
            WHERE room_id = $1 AND participant_sid = $2
            FOR UPDATE""";

    private static final String MARK_JOINED = """
            UPDATE core.room_presence
            SET state = 'joined', identity = $3, user_id = (SELECT id FROM core.users WHERE workos_user_id = $3),
                joined_at = $4, left_at = NULL, last_event_at = $5, updated_at = now()
            WHERE room_id = $1 AND participant_sid = $2
            RETURNING\s""" + CHANGE_COLUMNS;

    private static final String MARK_LEFT = """
            UPDATE core.room_presence
            SET state = 'left', left_at = $3, last_event_at = $3, updated_at = now()
            WHERE room_id = $1 AND participant_sid = $2
            RETURNING\s""" + CHANGE_COLUMNS;

    private static final String TOUCH = """
            UPDATE core.room_presence SET last_event_at = $3, updated_at = now()
            WHERE room_id = $1 AND participant_sid = $2 AND last_event_at < $3""";

    // left wins ties: a session joined in the same second as the room finished is considered gone
    private static final String MARK_ALL_LEFT = """
            UPDATE core.room_presence
            SET state = 'left', left_at = $2, last_event_at = $2, updated_at = now()
            WHERE room_id = $1 AND state = 'joined' AND last_event_at <= $2
            RETURNING\s""" + CHANGE_COLUMNS;

    private static final String MARK_SIDS_LEFT = """
            UPDATE core.room_presence
            SET state = 'left', left_at = $2, last_event_at = $2, updated_at = now()
            WHERE room_id = $1 AND participant_sid = ANY($3) AND state = 'joined' AND last_event_at <= $2
            RETURNING\s""" + CHANGE_COLUMNS;

    // $1: the names of the rooms LiveKit has open
    private static final String ROOMS_TO_RECONCILE = """
            SELECT r.org_id, r.id, r.livekit_room_name
            FROM core.rooms r
            WHERE EXISTS (SELECT 1 FROM core.room_presence p WHERE p.room_id = r.id AND p.state = 'joined')
               OR r.livekit_room_name = ANY($1)
            ORDER BY r.id""";

    private static final String JOINED_SIDS = """
            SELECT participant_sid FROM core.room_presence WHERE room_id = $1 AND state = 'joined'""";

    private static final String PRUNE_LEFT = """
            DELETE FROM core.room_presence WHERE state = 'left' AND left_at < $1""";

    private static final String ROOM_IN_ORG = """
            SELECT 1 FROM core.rooms WHERE org_id = $1 AND id = $2""";

    private static final String IN_ROOM = """
            SELECT p.room_id, r.name AS room_name, p.participant_sid, p.identity, p.user_id, p.joined_at
            FROM core.room_presence p
            JOIN core.rooms r ON r.org_id = p.org_id AND r.id = p.room_id
            WHERE p.org_id = $1 AND p.room_id = $2 AND p.state = 'joined'
            ORDER BY p.joined_at, p.participant_sid""";

    private static final String ONLINE_IN_ORG = """
            SELECT p.room_id, r.name AS room_name, p.participant_sid, p.identity, p.user_id, p.joined_at
            FROM core.room_presence p
            JOIN core.rooms r ON r.org_id = p.org_id AND r.id = p.room_id
            WHERE p.org_id = $1 AND p.state = 'joined'
            ORDER BY p.identity, p.joined_at, p.room_id, p.participant_sid""";

    /** The stored state of a session, read under a row lock. */
    public record Stored(PresenceState state, OffsetDateTime lastEventAt) {
    }

    private final Pool pool;

    public PresenceRepository(Pool pool) {
        this.pool = pool;
    }

    /** The room LiveKit calls {@code livekitRoomName}, or null when no room has that name. */
    public Uni<PresenceRoom> findRoom(String livekitRoomName) {
        return pool.preparedQuery(FIND_ROOM).execute(Tuple.of(livekitRoomName))
                .map(rows -> rows.size() == 0 ? null : toRoom(rows.iterator().next()));
    }

    /**
     * Records a session seen for the first time: joined, or a 'left' tombstone. Returns the new row, or null when
     * the session already has one (which the caller then locks and compares).
     */
    public Uni<PresenceChange> insertIfAbsent(SqlConnection tx, PresenceRoom room, ParticipantEvent event) {
        boolean joined = event.state() == PresenceState.JOINED;
        Tuple params = Tuple.tuple()
                .addUUID(room.orgId()).addUUID(room.roomId()).addString(event.sid()).addString(event.identity())
                .addString(event.state().value())
                .addOffsetDateTime(joined ? event.joinedAt() : null)
                .addOffsetDateTime(joined ? null : event.at())
                .addOffsetDateTime(event.at());
        return tx.preparedQuery(INSERT_IF_ABSENT).execute(params).map(PresenceRepository::firstChange);
    }

    /** The session's row, locked until the transaction ends; null when there is none. */
    public Uni<Stored> lock(SqlConnection tx, UUID roomId, String sid) {
        return tx.preparedQuery(LOCK).execute(Tuple.of(roomId, sid)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            return new Stored(PresenceState.of(row.getString("state")), row.getOffsetDateTime("last_event_at"));
        });
    }

    public Uni<PresenceChange> markJoined(SqlConnection tx, UUID roomId, ParticipantEvent event) {
        return tx.preparedQuery(MARK_JOINED)
                .execute(Tuple.of(roomId, event.sid(), event.identity(), event.joinedAt(), event.at()))
                .map(PresenceRepository::firstChange);
    }

    public Uni<PresenceChange> markLeft(SqlConnection tx, UUID roomId, String sid, OffsetDateTime at) {
        return tx.preparedQuery(MARK_LEFT).execute(Tuple.of(roomId, sid, at)).map(PresenceRepository::firstChange);
    }

    /** Moves the session's event time forward without changing its state (a newer event of the same state). */
    public Uni<Void> touch(SqlConnection tx, UUID roomId, String sid, OffsetDateTime at) {
        return tx.preparedQuery(TOUCH).execute(Tuple.of(roomId, sid, at)).replaceWithVoid();
    }

    /** Marks every session in the room that joined no later than {@code at} as left; returns them. */
    public Uni<List<PresenceChange>> markAllLeft(SqlConnection tx, UUID roomId, OffsetDateTime at) {
        return tx.preparedQuery(MARK_ALL_LEFT).execute(Tuple.of(roomId, at)).map(PresenceRepository::changes);
    }

    /** Marks the given sessions left if they are still joined and joined no later than {@code at}; returns them. */
    public Uni<List<PresenceChange>> markLeft(SqlConnection tx, UUID roomId, List<String> sids, OffsetDateTime at) {
        Tuple params = Tuple.tuple().addUUID(roomId).addOffsetDateTime(at).addArrayOfString(sids.toArray(String[]::new));
        return tx.preparedQuery(MARK_SIDS_LEFT).execute(params).map(PresenceRepository::changes);
    }

    /**
     * The rooms the reconcile job checks (across orgs): those with at least one session in them here, and those
     * LiveKit has open ({@code liveKitOpen}, LiveKit room names; names that are not our rooms match nothing).
     */
    public Uni<List<PresenceRoom>> roomsToReconcile(List<String> liveKitOpen) {
        Tuple params = Tuple.tuple().addArrayOfString(liveKitOpen.toArray(String[]::new));
        return pool.preparedQuery(ROOMS_TO_RECONCILE).execute(params).map(rows -> {
            List<PresenceRoom> rooms = new ArrayList<>(rows.size());
            rows.forEach(row -> rooms.add(toRoom(row)));
            return rooms;
        });
    }

    public Uni<List<String>> joinedSids(UUID roomId) {
        return pool.preparedQuery(JOINED_SIDS).execute(Tuple.of(roomId)).map(rows -> {
            List<String> sids = new ArrayList<>(rows.size());
            rows.forEach(row -> sids.add(row.getString("participant_sid")));
            return sids;
        });
    }

    /** Deletes 'left' rows older than {@code before}; returns how many. */
    public Uni<Integer> pruneLeft(OffsetDateTime before) {
        return pool.preparedQuery(PRUNE_LEFT).execute(Tuple.of(before)).map(RowSet::rowCount);
    }

    public Uni<Boolean> roomInOrg(UUID orgId, UUID roomId) {
        return pool.preparedQuery(ROOM_IN_ORG).execute(Tuple.of(orgId, roomId)).map(rows -> rows.size() > 0);
    }

    /** Sessions in the room now, earliest first. */
    public Uni<List<Participant>> inRoom(UUID orgId, UUID roomId) {
        return pool.preparedQuery(IN_ROOM).execute(Tuple.of(orgId, roomId)).map(PresenceRepository::participants);
    }

    /** Sessions in any of the org's rooms now, by identity. */
    public Uni<List<Participant>> onlineInOrg(UUID orgId) {
        return pool.preparedQuery(ONLINE_IN_ORG).execute(Tuple.of(orgId)).map(PresenceRepository::participants);
    }

    static PresenceRoom toRoom(Row row) {
        return new PresenceRoom(row.getUUID("org_id"), row.getUUID("id"), row.getString("livekit_room_name"));
    }

    static PresenceChange toChange(Row row) {
        return new PresenceChange(row.getUUID("org_id"), row.getUUID("room_id"), row.getString("participant_sid"),
                row.getString("identity"), row.getUUID("user_id"), PresenceState.of(row.getString("state")),
                row.getOffsetDateTime("joined_at"), row.getOffsetDateTime("left_at"));
    }

    static Participant toParticipant(Row row) {
        return new Participant(row.getUUID("room_id"), row.getString("room_name"), row.getString("participant_sid"),
                row.getString("identity"), row.getUUID("user_id"), row.getOffsetDateTime("joined_at"));
    }

    private static PresenceChange firstChange(RowSet<Row> rows) {
        return rows.size() == 0 ? null : toChange(rows.iterator().next());
    }

    private static List<PresenceChange> changes(RowSet<Row> rows) {
        List<PresenceChange> changes = new ArrayList<>(rows.size());
        rows.forEach(row -> changes.add(toChange(row)));
        return changes;
    }

    private static List<Participant> participants(RowSet<Row> rows) {
        List<Participant> participants = new ArrayList<>(rows.size());
        rows.forEach(row -> participants.add(toParticipant(row)));
        return participants;
    }
}
