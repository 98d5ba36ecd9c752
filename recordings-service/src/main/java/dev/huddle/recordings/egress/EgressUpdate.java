package dev.huddle.recordings.egress;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import livekit.LivekitEgress.EgressInfo;
import livekit.LivekitEgress.FileInfo;
import livekit.LivekitEgress.SegmentsInfo;
import livekit.LivekitWebhook.WebhookEvent;

/**
 * What an egress event says about its recording: the state it moves to and, when it ended, the result.
 *
 * @param updatedAtNs LiveKit's {@code egressInfo.updatedAt} (ns; 0 when absent): orders updates of one egress
 * @param location the URL egress reports for the file ({@code fileResults[0].location}, or the segments' playlist)
 * @param objectKey the key egress uploaded the file to in its bucket ({@code fileResults[0].filename}, or the
 *        segments' {@code playlistName}): what storage is addressed with
 */
public record EgressUpdate(String egressId, String roomName, RecordingStatus status, long updatedAtNs,
        String location, String objectKey, Long sizeBytes, Long durationMs, OffsetDateTime startedAt,
        OffsetDateTime endedAt, String error) {

    /**
     * The update an egress event carries; empty for other events, an egress without id or room, and statuses that
     * move nothing. {@code egress_started} usually has no {@code status} (EGRESS_STARTING is protobuf's zero).
     */
    public static Optional<EgressUpdate> of(WebhookEvent event) {
        if (!event.hasEgressInfo() || !event.getEvent().startsWith("egress_")) {
            return Optional.empty();
        }
        return of(event.getEgressInfo());
    }

    /**
     * The update an egress's state carries, as a webhook or LiveKit's {@code ListEgress} reports it; empty for an
     * egress without id or room, and statuses that move nothing.
     */
    public static Optional<EgressUpdate> of(EgressInfo info) {
        if (info.getEgressId().isEmpty() || info.getRoomName().isEmpty()) {
            return Optional.empty();
        }
        RecordingStatus status = switch (info.getStatus()) {
            case EGRESS_STARTING, EGRESS_ACTIVE -> RecordingStatus.RECORDING;
            case EGRESS_ENDING -> RecordingStatus.FINALIZING;
            case EGRESS_COMPLETE -> RecordingStatus.READY;
            case EGRESS_FAILED, EGRESS_ABORTED, EGRESS_LIMIT_REACHED -> RecordingStatus.FAILED;
            default -> null;
        };
        if (status == null) {
            return Optional.empty();
        }
        // the file egress wrote, or the segments' playlist; nothing while it runs
        Output out = info.getFileResultsCount() > 0 ? Output.of(info.getFileResults(0))
                : info.getSegmentResultsCount() > 0 ? Output.of(info.getSegmentResults(0)) : Output.NONE;
        long startedNs = out.startedNs() > 0 ? out.startedNs() : info.getStartedAt();
        long endedNs = out.endedNs() > 0 ? out.endedNs() : info.getEndedAt();
        String error = null;
        if (status == RecordingStatus.FAILED) {
            error = info.getError().isEmpty() ? "egress ended " + info.getStatus().name() : info.getError();
        }
        return Optional.of(new EgressUpdate(info.getEgressId(), info.getRoomName(), status, info.getUpdatedAt(),
                status == RecordingStatus.READY ? blankToNull(out.location()) : null,
                status == RecordingStatus.READY ? blankToNull(out.key()) : null,
                status == RecordingStatus.READY ? out.size() : null,
                status == RecordingStatus.READY && out.durationNs() != null ? out.durationNs() / 1_000_000 : null,
                ns(startedNs), status.terminal() ? ns(endedNs) : null, error));
    }

    /** What egress wrote: a file, or segments and their playlist (times in ns, 0 when absent). */
    private record Output(String location, String key, Long size, Long durationNs, long startedNs, long endedNs) {

        static final Output NONE = new Output(null, null, null, null, 0, 0);

        static Output of(FileInfo file) {
            return new Output(file.getLocation(), file.getFilename(), file.getSize(), file.getDuration(),
                    file.getStartedAt(), file.getEndedAt());
        }

        static Output of(SegmentsInfo segments) {
            return new Output(segments.getPlaylistLocation(), segments.getPlaylistName(), segments.getSize(),
                    segments.getDuration(), segments.getStartedAt(), segments.getEndedAt());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static OffsetDateTime ns(long epochNanos) {
        if (epochNanos <= 0) {
            return null;
        }
        Instant at = Instant.ofEpochSecond(epochNanos / 1_000_000_000L, epochNanos % 1_000_000_000L);
        return OffsetDateTime.ofInstant(at.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }
}
