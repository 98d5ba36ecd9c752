package dev.huddle.core.presence;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.huddle.core.livekit.LiveKitRoomClient;
import dev.huddle.platform.jobs.SingleRunner;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import livekit.LivekitModels.ParticipantInfo;

/**
 * Catches what webhooks missed (LiveKit does not guarantee delivery), both ways. It asks LiveKit which rooms are open
 * ({@code ListRooms}), then, for each of our rooms that LiveKit has open or that has participants here, who is in it
 * ({@code ListParticipants}): the sessions it no longer lists are marked left, and those it lists that are not joined
 * here (a lost {@code participant_joined}) are marked joined, each announced like the webhook it stands for. A room
 * LiveKit does not know has finished: everyone in it left. When {@code ListRooms} fails, the rooms with participants
 * here are still checked. Also deletes leave tombstones older than
 * {@code huddle.presence.left-retention}. Every {@code huddle.presence.reconcile-interval}, on one replica at a time
 * ({@link SingleRunner}); skipped while LiveKit is not configured. A room whose check fails is left as it is and
 * retried next time.
 */
@ApplicationScoped
public class PresenceReconciler {

    public static final String JOB = "core-api.presence-reconcile";

    private static final Logger LOG = Logger.getLogger(PresenceReconciler.class);

    /** What one pass did. */
    public record Result(boolean ran, int roomsChecked, int roomsFailed, int markedLeft, int markedJoined,
            int pruned) {

        static final Result SKIPPED = new Result(false, 0, 0, 0, 0, 0);
    }

    /** What the check of one room changed: sessions marked left and joined ({@link #FAILED}: the check failed). */
    private record RoomResult(int left, int joined) {

        static final RoomResult FAILED = new RoomResult(-1, -1);

        boolean failed() {
            return left < 0;
        }
    }

    private final PresenceConfig config;
    private final PresenceRepository repository;
    private final PresenceService service;
    private final LiveKitRoomClient liveKit;
    private final SingleRunner runner;

    public PresenceReconciler(PresenceConfig config, PresenceRepository repository, PresenceService service,
            LiveKitRoomClient liveKit, SingleRunner runner) {
        this.config = config;
        this.repository = repository;
        this.service = service;
        this.liveKit = liveKit;
        this.runner = runner;
    }

    @Scheduled(identity = JOB, every = "${huddle.presence.reconcile-interval}", delayed = "${huddle.presence.reconcile-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!config.reconcileEnabled()) {
            return Uni.createFrom().voidItem();
        }
        return reconcile()
                .onFailure().invoke(e -> LOG.warnf(e, "presence reconcile failed"))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** One pass now, if LiveKit is configured and no other replica is running one. */
    public Uni<Result> reconcile() {
        if (!liveKit.configured()) {
            LOG.debug("presence reconcile skipped: LiveKit is not configured");
            return Uni.createFrom().item(Result.SKIPPED);
        }
        AtomicReference<Result> result = new AtomicReference<>(Result.SKIPPED);
        return runner.runExclusively(JOB, () -> pass().invoke(result::set)).map(ran -> result.get());
    }

    private Uni<Result> pass() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Duration timeout = config.livekitTimeout();
        return repository.pruneLeft(now.minus(config.leftRetention())).chain(pruned -> liveKit.listRooms(timeout)
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("LiveKit ListRooms failed (%s): checking only the rooms with participants here",
                            e.getMessage());
                    return List.of();
                })
                .chain(repository::roomsToReconcile)
                .chain(rooms -> Multi.createFrom().iterable(rooms)
                        .onItem().transformToUniAndConcatenate(room -> room(room)
                                .onFailure().recoverWithItem(e -> {
                                    LOG.warnf("presence reconcile of room %s (LiveKit %s) failed: %s", room.roomId(),
                                            room.livekitRoomName(), e.getMessage());
                                    return RoomResult.FAILED;
                                }))
                        .collect().asList()
                        .map(results -> {
                            int failed = (int) results.stream().filter(RoomResult::failed).count();
                            int left = results.stream().filter(r -> !r.failed()).mapToInt(RoomResult::left).sum();
                            int joined = results.stream().filter(r -> !r.failed()).mapToInt(RoomResult::joined).sum();
                            Result r = new Result(true, rooms.size(), failed, left, joined, pruned);
                            if (left > 0 || joined > 0 || pruned > 0 || failed > 0) {
                                LOG.infof("presence reconciled: %d rooms checked, %d failed, %d participants gone, "
                                        + "%d found, %d tombstones pruned", rooms.size(), failed, left, joined, pruned);
                            }
                            return r;
                        })));
    }

    /** Marks the room's sessions LiveKit no longer lists as left, and those it lists but we miss as joined. */
    private Uni<RoomResult> room(PresenceRoom room) {
        return repository.joinedSids(room.roomId()).chain(joined -> {
            // observed before asking: anything that happens to a session after this instant wins over this check
            OffsetDateTime checkedAt = OffsetDateTime.now(ZoneOffset.UTC);
            return liveKit.listParticipants(room.livekitRoomName(), config.livekitTimeout()).chain(listed -> {
                List<ParticipantInfo> participants = listed.orElse(List.of());
                Set<String> present = new HashSet<>();
                participants.stream().map(ParticipantInfo::getSid).forEach(present::add);
                List<String> gone = joined.stream().filter(sid -> !present.contains(sid)).toList();
                Set<String> known = new HashSet<>(joined);
                List<ParticipantEvent> found = participants.stream()
                        .filter(p -> !known.contains(p.getSid()) && p.getState() != ParticipantInfo.State.DISCONNECTED
                                && !p.getSid().isEmpty() && !p.getIdentity().isEmpty())
                        .map(p -> joinSeen(room, p, checkedAt))
                        .toList();
                return service.gone(room, gone, checkedAt)
                        .chain(left -> service.present(room, found).map(n -> new RoomResult(left, n)));
            });
        });
    }

    /**
     * A session LiveKit lists, as the {@code participant_joined} we missed: at the second it was seen (LiveKit's events
     * have one-second resolution, and a leave wins a tie), having joined when LiveKit says it did.
     */
    private static ParticipantEvent joinSeen(PresenceRoom room, ParticipantInfo participant, OffsetDateTime checkedAt) {
        OffsetDateTime at = checkedAt.truncatedTo(ChronoUnit.SECONDS);
        OffsetDateTime joinedAt = participant.getJoinedAt() > 0
                ? OffsetDateTime.ofInstant(Instant.ofEpochSecond(participant.getJoinedAt()), ZoneOffset.UTC)
                : at;
        return new ParticipantEvent(PresenceState.JOINED, room.livekitRoomName(), participant.getSid(),
                participant.getIdentity(), joinedAt.isAfter(at) ? at : joinedAt, at);
    }
}
