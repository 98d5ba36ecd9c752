package dev.huddle.core.presence;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.huddle.platform.jobs.SingleRunner;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import livekit.LivekitModels.ParticipantInfo;

/**
 * Catches what webhooks missed (LiveKit does not guarantee delivery): for each room with participants in it, asks
 * LiveKit who is there and marks the sessions it no longer lists as left, announced like a webhook's leave. A room
 * LiveKit does not know has finished: everyone in it left. Also deletes leave tombstones older than
 * {@code huddle.presence.left-retention}. Every {@code huddle.presence.reconcile-interval}, on one replica at a time
 * ({@link SingleRunner}); skipped while LiveKit is not configured. A room whose check fails is left as it is and
 * retried next time.
 */
@ApplicationScoped
public class PresenceReconciler {

    public static final String JOB = "core-api.presence-reconcile";

    private static final Logger LOG = Logger.getLogger(PresenceReconciler.class);

    /** What one pass did. */
    public record Result(boolean ran, int roomsChecked, int roomsFailed, int markedLeft, int pruned) {

        static final Result SKIPPED = new Result(false, 0, 0, 0, 0);
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
        return repository.pruneLeft(now.minus(config.leftRetention())).chain(pruned -> repository.roomsWithJoined()
                .chain(rooms -> Multi.createFrom().iterable(rooms)
                        .onItem().transformToUniAndConcatenate(room -> room(room)
                                .onFailure().recoverWithItem(e -> {
                                    LOG.warnf("presence reconcile of room %s (LiveKit %s) failed: %s", room.roomId(),
                                            room.livekitRoomName(), e.getMessage());
                                    return -1;
                                }))
                        .collect().asList()
                        .map(counts -> {
                            int failed = (int) counts.stream().filter(c -> c < 0).count();
                            int left = counts.stream().filter(c -> c > 0).mapToInt(Integer::intValue).sum();
                            Result r = new Result(true, rooms.size(), failed, left, pruned);
                            if (left > 0 || pruned > 0 || failed > 0) {
                                LOG.infof("presence reconciled: %d rooms checked, %d failed, %d participants gone, "
                                        + "%d tombstones pruned", rooms.size(), failed, left, pruned);
                            }
                            return r;
                        })));
    }

    /** Marks the room's sessions LiveKit no longer lists as left; returns how many. */
    private Uni<Integer> room(PresenceRoom room) {
        return repository.joinedSids(room.roomId()).chain(joined -> {
            if (joined.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            // observed before asking: anything that happens to a session after this instant wins over this check
            OffsetDateTime checkedAt = OffsetDateTime.now(ZoneOffset.UTC);
            return liveKit.listParticipants(room.livekitRoomName()).chain(listed -> {
                Set<String> present = new HashSet<>();
                listed.ifPresent(participants -> participants.stream().map(ParticipantInfo::getSid).forEach(present::add));
                List<String> gone = joined.stream().filter(sid -> !present.contains(sid)).toList();
                return service.gone(room, gone, checkedAt);
            });
        });
    }
}
