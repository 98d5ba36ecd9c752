package dev.huddle.recordings.jobs;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.huddle.recordings.config.RecordingsConfig;
import dev.huddle.recordings.egress.EgressRepository;
import dev.huddle.recordings.egress.EgressService;
import dev.huddle.recordings.egress.EgressUpdate;
import dev.huddle.recordings.livekit.LiveKitEgressClient;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import livekit.LivekitEgress.EgressInfo;
import livekit.LivekitEgress.EgressStatus;

/**
 * The decision of stale reconciliation, made in this service wherever the SQL job runs (pg_cron or
 * {@link RecordingJobs}): for each candidate the job marked ({@code stale_since}: finalizing for longer than
 * {@code stale-after}), LiveKit's {@code ListEgress} is asked about its egress.
 * <ul>
 * <li>LiveKit reports it ended (COMPLETE, FAILED, ABORTED, LIMIT_REACHED): the recording gets that result, exactly as
 * the {@code egress_ended} webhook that went missing would have given it (ready with its file, or failed with
 * LiveKit's error).</li>
 * <li>LiveKit reports it still running (STARTING, ACTIVE, ENDING): left alone.</li>
 * <li>LiveKit does not know it (Twirp {@code not_found}): failed by reconciliation, saying so; a result LiveKit
 * reports later still replaces it.</li>
 * <li>LiveKit cannot be asked (unreachable, timeout, any other answer): left for the next round, because the
 * recording may well be complete. Only the SQL job fails a recording on age alone, once it has been finalizing for
 * longer than {@code give-up-after}, so nothing stays in {@code finalizing} forever.</li>
 * </ul>
 * Every change goes through {@link EgressService}: the webhooks' state machine and announcement.
 */
@ApplicationScoped
public class StaleReconciler {

    private static final Logger LOG = Logger.getLogger(StaleReconciler.class);

    /** What one pass did with the candidates it looked at. */
    public record Pass(int checked, int finished, int failedUnknown, int stillActive, int unreachable) {

        /** Recordings whose state changed. */
        public int changed() {
            return finished + failedUnknown;
        }
    }

    private enum Verdict {
        FINISHED,
        FAILED_UNKNOWN,
        STILL_ACTIVE,
        UNREACHABLE,
        UNCHANGED
    }

    private final EgressRepository repository;
    private final LiveKitEgressClient liveKit;
    private final EgressService egress;
    private final RecordingsConfig config;

    public StaleReconciler(EgressRepository repository, LiveKitEgressClient liveKit, EgressService egress,
            RecordingsConfig config) {
        this.repository = repository;
        this.liveKit = liveKit;
        this.egress = egress;
        this.config = config;
    }

    /** One pass over up to {@code reconcile-batch-size} candidates, the longest marked first. */
    public Uni<Pass> pass() {
        return repository.staleCandidates(config.jobs().reconcileBatchSize())
                .chain(candidates -> Multi.createFrom().iterable(candidates).onItem()
                        .transformToUniAndConcatenate(this::reconcile).collect().asList().map(StaleReconciler::tally))
                .invoke(pass -> {
                    if (pass.checked() > 0) {
                        LOG.infof("stale recordings: %d checked with LiveKit, %d finished as LiveKit reported, %d unknown to "
                                + "LiveKit failed, %d still active, %d not answered", pass.checked(), pass.finished(),
                                pass.failedUnknown(), pass.stillActive(), pass.unreachable());
                    }
                });
    }

    private Uni<Verdict> reconcile(String egressId) {
        // only LiveKit's failure means "could not ask"; a failure to write the answer fails the pass
        return liveKit.egress(egressId).onItemOrFailure().transformToUni((info, e) -> {
            if (e != null) {
                LOG.warnf("stale recording of egress %s left for the next round: LiveKit could not be asked (%s)",
                        egressId, e.getMessage());
                return Uni.createFrom().item(Verdict.UNREACHABLE);
            }
            return info.isPresent() ? reported(info.get()) : unknown(egressId);
        });
    }

    private Uni<Verdict> reported(EgressInfo info) {
        if (!ended(info.getStatus())) {
            return Uni.createFrom().item(Verdict.STILL_ACTIVE);
        }
        // ListEgress items carry the room name; an update needs one, whatever it is (the recording exists)
        EgressInfo named = info.getRoomName().isEmpty() ? info.toBuilder().setRoomName("-").build() : info;
        Optional<EgressUpdate> update = EgressUpdate.of(named);
        if (update.isEmpty()) {
            return Uni.createFrom().item(Verdict.STILL_ACTIVE);
        }
        return egress.reconcile(update.get()).map(outcome -> outcome == EgressService.Outcome.APPLIED
                ? Verdict.FINISHED
                : Verdict.UNCHANGED);
    }

    private Uni<Verdict> unknown(String egressId) {
        return egress.failByReconciliation(egressId, "LiveKit does not know egress " + egressId
                + " (ListEgress: not_found): marked failed by reconciliation")
                .map(outcome -> outcome == EgressService.Outcome.APPLIED ? Verdict.FAILED_UNKNOWN : Verdict.UNCHANGED);
    }

    private static boolean ended(EgressStatus status) {
        return switch (status) {
            case EGRESS_COMPLETE, EGRESS_FAILED, EGRESS_ABORTED, EGRESS_LIMIT_REACHED -> true;
            default -> false;
        };
    }

    private static Pass tally(List<Verdict> verdicts) {
        int[] n = new int[Verdict.values().length];
        verdicts.forEach(v -> n[v.ordinal()]++);
        return new Pass(verdicts.size(), n[Verdict.FINISHED.ordinal()], n[Verdict.FAILED_UNKNOWN.ordinal()],
                n[Verdict.STILL_ACTIVE.ordinal()], n[Verdict.UNREACHABLE.ordinal()]);
    }
}
