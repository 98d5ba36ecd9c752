package dev.huddle.recordings.egress;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.huddle.platform.outbox.Channels;
import dev.huddle.platform.outbox.OutboxWriter;
import dev.huddle.recordings.recordings.RecordingEvents;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Moves a recording along its egress: recording -> finalizing -> ready | failed, keyed by egress id.
 * <ul>
 * <li>{@code ready} and {@code failed} are terminal: nothing leaves them, with one exception: a recording stale
 * reconciliation failed without LiveKit's word ({@link #failByReconciliation}) takes the result LiveKit reports later
 * (an {@code egress_ended} after a long upload, or {@code ListEgress}): ready with its file, or LiveKit's error.</li>
 * <li>A terminal update applies to any non-terminal recording (an egress that ended has ended).</li>
 * <li>Otherwise an update applies only when newer by {@code egressInfo.updatedAt} (ns), or equally new and later in
 * the lifecycle; an older update or a duplicate changes nothing.</li>
 * <li>Every status change appends {@code recording.updated} to the org's channel in the same transaction.</li>
 * <li>An egress of a room that is not ours (not in {@code core.room_directory}) writes nothing: a recording always
 * belongs to an org, and there is none to give it to. The webhook is still acknowledged so LiveKit does not retry
 * forever; the reason is logged.</li>
 * </ul>
 */
@ApplicationScoped
public class EgressService {

    private static final Logger LOG = Logger.getLogger(EgressService.class);

    /** What a verified egress event did. */
    public enum Outcome {
        /** The recording was created or changed status (announced). */
        APPLIED,
        /** A duplicate, older or merely newer-but-same-status update; or a terminal recording. */
        UNCHANGED,
        /** Not an egress update we track, or an egress of a room that is not ours. */
        IGNORED
    }

    private final EgressRepository repository;
    private final OutboxWriter outbox;

    public EgressService(EgressRepository repository, OutboxWriter outbox) {
        this.repository = repository;
        this.outbox = outbox;
    }

    public Uni<Outcome> apply(EgressUpdate update) {
        return repository.pool().withTransaction(tx -> repository.room(tx, update.roomName()).chain(room -> {
            if (room.isEmpty()) {
                LOG.warnf("egress %s of LiveKit room %s ignored: no such room in core.room_directory, so no org to "
                        + "own the recording; nothing written", update.egressId(), update.roomName());
                return Uni.createFrom().item(Outcome.IGNORED);
            }
            return repository.insert(tx, room.get(), update).chain(inserted -> inserted.isPresent()
                    ? announce(tx, inserted.get(), update.status())
                    : repository.lock(tx, update.egressId()).chain(current -> transition(tx, current, update, false)));
        }));
    }

    /**
     * Applies what LiveKit reports about the egress of a recording that exists (stale reconciliation), by the same
     * rules and with the same announcement as a webhook. A recording deleted meanwhile is left alone (IGNORED).
     */
    public Uni<Outcome> reconcile(EgressUpdate update) {
        return reconcile(update, false);
    }

    /**
     * Fails a recording that exists on stale reconciliation's own verdict (LiveKit did not report it ended), saying
     * why; announced like any failure. A result LiveKit reports later still replaces it.
     */
    public Uni<Outcome> failByReconciliation(String egressId, String error) {
        return reconcile(new EgressUpdate(egressId, "-", RecordingStatus.FAILED, 0, null, null, null, null, null,
                null, error), true);
    }

    private Uni<Outcome> reconcile(EgressUpdate update, boolean byReconciliation) {
        return repository.pool().withTransaction(tx -> repository.lockIfPresent(tx, update.egressId())
                .chain(current -> current.isEmpty() ? Uni.createFrom().item(Outcome.IGNORED)
                        : transition(tx, current.get(), update, byReconciliation)));
    }

    private Uni<Outcome> transition(SqlConnection tx, EgressRepository.Current current, EgressUpdate update,
            boolean byReconciliation) {
        if (!applies(current, update, byReconciliation)) {
            return Uni.createFrom().item(Outcome.UNCHANGED);
        }
        return repository.update(tx, current.id(), update, byReconciliation)
                .chain(() -> update.status() == current.status()
                        ? Uni.createFrom().item(Outcome.UNCHANGED)
                        : announce(tx, current, update.status()));
    }

    /** Whether {@code update} may overwrite {@code current}; see the class comment. */
    static boolean applies(EgressRepository.Current current, EgressUpdate update, boolean byReconciliation) {
        if (current.status().terminal()) {
            return current.failedByReconciliation() && update.status().terminal() && !byReconciliation;
        }
        if (update.status().terminal()) {
            return true;
        }
        return update.updatedAtNs() > current.updatedAtNs()
                || (update.updatedAtNs() == current.updatedAtNs() && update.status().after(current.status()));
    }

    private Uni<Outcome> announce(SqlConnection tx, EgressRepository.Current recording, RecordingStatus status) {
        return outbox.append(tx, Channels.org(recording.orgId()), RecordingEvents.UPDATED,
                new RecordingEvents.Updated(recording.id(), recording.roomId(), status.db()))
                .replaceWith(Outcome.APPLIED);
    }
}
