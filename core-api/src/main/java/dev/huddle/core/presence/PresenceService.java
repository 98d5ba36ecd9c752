package dev.huddle.core.presence;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.huddle.platform.outbox.Channels;
import dev.huddle.platform.outbox.OutboxWriter;
import dev.huddle.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Applies what LiveKit says about participants to {@code core.room_presence}, so that every order of delivery
 * (LiveKit guarantees none across retries, and a leave may arrive before its join) and every duplicate ends in the
 * same state. Per session (participant sid), the event with the latest {@code createdAt} wins; on a tie (it has
 * one-second resolution) the leave wins. A leave for a session never seen is kept as a 'left' tombstone, so its late
 * join is recognised as stale. Each real change is announced in its transaction on the room's and the org's
 * channel ({@code presence.joined}, {@code presence.left}); nothing is announced for a no-op.
 */
@ApplicationScoped
public class PresenceService {

    public static final String JOINED_TYPE = "presence.joined";
    public static final String LEFT_TYPE = "presence.left";

    private static final Logger LOG = Logger.getLogger(PresenceService.class);

    private final Pool pool;
    private final PresenceRepository repository;
    private final OutboxWriter outbox;

    public PresenceService(Pool pool, PresenceRepository repository, OutboxWriter outbox) {
        this.pool = pool;
        this.repository = repository;
        this.outbox = outbox;
    }

    /** Who is online in the org now: everyone in at least one of its rooms, with those rooms. */
    public Uni<OrgPresenceResponse> online(UUID orgId) {
        return repository.onlineInOrg(orgId).map(sessions -> OrgPresenceResponse.of(orgId, sessions));
    }

    /** The sessions in the room now, earliest joined first; 404 when it is not a room of the org. */
    public Uni<RoomPresenceResponse> inRoom(UUID orgId, UUID roomId) {
        return repository.roomInOrg(orgId, roomId).invoke(exists -> ProblemException.requireExists(exists, "room"))
                .chain(() -> repository.inRoom(orgId, roomId))
                .map(sessions -> RoomPresenceResponse.of(roomId, sessions));
    }

    /** {@code participant_joined}, {@code participant_left} or {@code participant_connection_aborted}. */
    public Uni<WebhookOutcome> participant(ParticipantEvent event) {
        return repository.findRoom(event.roomName()).chain(room -> {
            if (room == null) {
                LOG.debugf("LiveKit event for unknown room %s ignored", event.roomName());
                return Uni.createFrom().item(WebhookOutcome.IGNORED);
            }
            return pool.withTransaction(tx -> apply(tx, room, event));
        });
    }

    /** {@code room_finished}: every session in the room that joined no later than {@code at} has left. */
    public Uni<WebhookOutcome> roomFinished(String roomName, OffsetDateTime at) {
        return repository.findRoom(roomName).chain(room -> {
            if (room == null) {
                LOG.debugf("LiveKit room_finished for unknown room %s ignored", roomName);
                return Uni.createFrom().item(WebhookOutcome.IGNORED);
            }
            return pool.withTransaction(tx -> repository.markAllLeft(tx, room.roomId(), at)
                    .chain(changes -> announce(tx, changes)
                            .replaceWith(changes.isEmpty() ? WebhookOutcome.UNCHANGED : WebhookOutcome.APPLIED)));
        });
    }

    /**
     * Reconciliation: the sessions LiveKit no longer lists have left, unless something newer than {@code checkedAt}
     * (when their absence was observed) says otherwise. Returns how many changed.
     */
    public Uni<Integer> gone(PresenceRoom room, List<String> sids, OffsetDateTime checkedAt) {
        if (sids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.withTransaction(tx -> repository.markLeft(tx, room.roomId(), sids, checkedAt)
                .chain(changes -> announce(tx, changes).replaceWith(changes.size())));
    }

    /**
     * Reconciliation, the other way: sessions LiveKit lists in the room that are not joined here (a lost
     * {@code participant_joined}) have joined, as if LiveKit had said so at {@code checkedAt} (when they were
     * observed, to the second as LiveKit's own events are): a leave of the session no older than that still wins.
     * Returns how many changed.
     */
    public Uni<Integer> present(PresenceRoom room, List<ParticipantEvent> joins) {
        if (joins.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.withTransaction(tx -> {
            Uni<Integer> chain = Uni.createFrom().item(0);
            for (ParticipantEvent join : joins) {
                chain = chain.chain(n -> apply(tx, room, join)
                        .map(outcome -> outcome == WebhookOutcome.APPLIED ? n + 1 : n));
            }
            return chain;
        });
    }

    private Uni<WebhookOutcome> apply(SqlConnection tx, PresenceRoom room, ParticipantEvent event) {
        return repository.insertIfAbsent(tx, room, event).chain(inserted -> {
            if (inserted != null) {
                // first sight of this session: a join is news; a leave is a tombstone nobody saw joining
                return inserted.state() == PresenceState.JOINED
                        ? announce(tx, List.of(inserted)).replaceWith(WebhookOutcome.APPLIED)
                        : Uni.createFrom().item(WebhookOutcome.RECORDED);
            }
            return repository.lock(tx, room.roomId(), event.sid()).chain(stored -> decide(tx, room, event, stored));
        });
    }

    private Uni<WebhookOutcome> decide(SqlConnection tx, PresenceRoom room, ParticipantEvent event,
            PresenceRepository.Stored stored) {
        OffsetDateTime at = event.at();
        if (stored.state() == event.state()) {
            // a duplicate; a newer one of the same state moves the clock so that older events stay stale
            return repository.touch(tx, room.roomId(), event.sid(), at).replaceWith(WebhookOutcome.UNCHANGED);
        }
        boolean wins = event.state() == PresenceState.LEFT
                ? !at.isBefore(stored.lastEventAt()) // a leave wins ties
                : at.isAfter(stored.lastEventAt());
        if (!wins) {
            LOG.debugf("stale %s of %s in room %s (event at %s, stored %s at %s) ignored", event.state().value(),
                    event.sid(), room.roomId(), at, stored.state().value(), stored.lastEventAt());
            return Uni.createFrom().item(WebhookOutcome.UNCHANGED);
        }
        Uni<PresenceChange> change = event.state() == PresenceState.JOINED
                ? repository.markJoined(tx, room.roomId(), event)
                : repository.markLeft(tx, room.roomId(), event.sid(), at);
        return change.chain(c -> announce(tx, List.of(c))).replaceWith(WebhookOutcome.APPLIED);
    }

    /** One event per change on the room's channel and on the org's, in the caller's transaction. */
    private Uni<Void> announce(SqlConnection tx, List<PresenceChange> changes) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (PresenceChange change : changes) {
            String type = change.state() == PresenceState.JOINED ? JOINED_TYPE : LEFT_TYPE;
            Map<String, Object> data = data(change);
            chain = chain
                    .chain(() -> outbox.append(tx, Channels.room(change.roomId()), type, data))
                    .chain(() -> outbox.append(tx, Channels.org(change.orgId()), type, data));
        }
        return chain;
    }

    static Map<String, Object> data(PresenceChange change) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("orgId", change.orgId().toString());
        data.put("roomId", change.roomId().toString());
        data.put("participantSid", change.sid());
        data.put("identity", change.identity());
        data.put("userId", change.userId() == null ? null : change.userId().toString());
        data.put("joinedAt", change.joinedAt() == null ? null : change.joinedAt().toString());
        if (change.state() == PresenceState.LEFT) {
            data.put("leftAt", change.leftAt().toString());
        }
        return data;
    }
}
