package dev.huddle.recordings.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.huddle.recordings.config.RecordingsConfig;
import dev.huddle.recordings.egress.EgressService;
import dev.huddle.recordings.egress.EgressUpdate;
import dev.huddle.recordings.egress.LiveKitEgressClient;
import dev.huddle.recordings.egress.RecordingStatus;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import livekit.LivekitEgress.EgressInfo;
import livekit.LivekitEgress.EgressStatus;

/**
 * Stale reconciliation when this service runs it and LiveKit is configured: for each recording in {@code finalizing}
 * for longer than {@code stale-after}, LiveKit's {@code ListEgress} is asked about its egress first.
 * <ul>
 * <li>LiveKit reports it ended (COMPLETE, FAILED, ABORTED, LIMIT_REACHED): the recording gets that result, exactly as
 * the {@code egress_ended} webhook that went missing would have given it (ready with its file, or failed with
 * LiveKit's error).</li>
 * <li>LiveKit reports it still running (STARTING, ACTIVE, ENDING): left alone.</li>
 * <li>LiveKit does not know it (Twirp {@code not_found}): failed, saying so.</li>
 * <li>LiveKit cannot be asked (unreachable, timeout, any other answer): left for the next round, because
 * {@code failed} is final and the recording may well be complete; once it has been finalizing for longer than
 * {@code give-up-after} it is failed all the same, so nothing stays in {@code finalizing} forever.</li>
 * </ul>
 * Every change goes through {@link EgressService#reconcile}: the webhooks' state machine and announcement.
 */
@ApplicationScoped
public class StaleReconciler {

    private static final Logger LOG = Logger.getLogger(StaleReconciler.class);

    private static final String STALE = """
            SELECT egress_id, updated_at < now() - make_interval(secs => $2) AS give_up
            FROM recordings.recordings
            WHERE status = 'finalizing' AND updated_at < now() - make_interval(secs => $1)
            ORDER BY updated_at, id
            LIMIT $3""";

    /** What one pass did with the stale recordings it looked at. */
    public record Pass(int checked, int finished, int failedUnknown, int stillActive, int unreachable, int gaveUp) {

        /** Recordings whose state changed. */
        public int changed() {
            return finished + failedUnknown + gaveUp;
        }
    }

    private enum Verdict {
        FINISHED,
        FAILED_UNKNOWN,
        STILL_ACTIVE,
        UNREACHABLE,
        GAVE_UP,
        UNCHANGED
    }

    private record Stale(String egressId, boolean giveUp) {
    }

    private final Pool pool;
    private final LiveKitEgressClient liveKit;
    private final EgressService egress;
    private final RecordingsConfig config;

    public StaleReconciler(Pool pool, LiveKitEgressClient liveKit, EgressService egress, RecordingsConfig config) {
        this.pool = pool;
        this.liveKit = liveKit;
        this.egress = egress;
        this.config = config;
    }

    /** One pass over up to {@code reconcile-batch-size} stale recordings, oldest first. */
    public Uni<Pass> pass() {
        RecordingsConfig.Jobs jobs = config.jobs();
        Tuple params = Tuple.of(seconds(jobs.staleAfter()), seconds(jobs.giveUpAfter()), jobs.reconcileBatchSize());
        return pool.preparedQuery(STALE).execute(params).chain(rows -> {
            List<Stale> stale = new ArrayList<>(rows.size());
            for (Row row : rows) {
                stale.add(new Stale(row.getString("egress_id"), row.getBoolean("give_up")));
            }
            return Multi.createFrom().iterable(stale).onItem().transformToUniAndConcatenate(this::reconcile)
                    .collect().asList().map(StaleReconciler::tally);
        }).invoke(pass -> {
            if (pass.checked() > 0) {
                LOG.infof("stale recordings: %d checked with LiveKit, %d finished as LiveKit reported, %d unknown to "
                        + "LiveKit failed, %d still active, %d not answered (%d of them failed after %s)",
                        pass.checked(), pass.finished(), pass.failedUnknown(), pass.stillActive(), pass.unreachable(),
                        pass.gaveUp(), config.jobs().giveUpAfter());
            }
        });
    }

    private Uni<Verdict> reconcile(Stale stale) {
        // only LiveKit's failure means "could not ask"; a failure to write the answer fails the pass
        return liveKit.egress(stale.egressId()).onItemOrFailure().transformToUni((info, e) -> {
            if (e != null) {
                return unreachable(stale, e);
            }
            return info.isPresent() ? reported(info.get()) : unknown(stale);
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

    private Uni<Verdict> unknown(Stale stale) {
        return fail(stale, "LiveKit does not know egress " + stale.egressId() + " (ListEgress: not_found): marked "
                + "failed by reconciliation", Verdict.FAILED_UNKNOWN);
    }

    private Uni<Verdict> unreachable(Stale stale, Throwable e) {
        if (!stale.giveUp()) {
            LOG.warnf("stale recording of egress %s left for the next round: LiveKit could not be asked (%s)",
                    stale.egressId(), e.getMessage());
            return Uni.createFrom().item(Verdict.UNREACHABLE);
        }
        return fail(stale, "no egress_ended from LiveKit within " + config.jobs().giveUpAfter() + " of finalizing, "
                + "and LiveKit could not be asked: marked failed by reconciliation", Verdict.GAVE_UP);
    }

    private Uni<Verdict> fail(Stale stale, String error, Verdict verdict) {
        EgressUpdate failed = new EgressUpdate(stale.egressId(), "-", RecordingStatus.FAILED, 0, null, null, null,
                null, null, null, error);
        return egress.reconcile(failed)
                .map(outcome -> outcome == EgressService.Outcome.APPLIED ? verdict : Verdict.UNCHANGED);
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
                n[Verdict.STILL_ACTIVE.ordinal()], n[Verdict.UNREACHABLE.ordinal()] + n[Verdict.GAVE_UP.ordinal()],
                n[Verdict.GAVE_UP.ordinal()]);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
