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
 */
public record EgressUpdate(String egressId, String roomName, RecordingStatus status, long updatedAtNs,
        String location, Long sizeBytes, Long durationMs, OffsetDateTime startedAt, OffsetDateTime endedAt,
        String error) {

    /**
     * The update an egress event carries; empty for other events, an egress without id or room, and statuses that
     * move nothing. {@code egress_started} usually has no {@code status} (EGRESS_STARTING is protobuf's zero).
     */
    public static Optional<EgressUpdate> of(WebhookEvent event) {
        if (!event.hasEgressInfo() || !event.getEvent().startsWith("egress_")) {
            return Optional.empty();
        }
        EgressInfo info = event.getEgressInfo();
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
        String location = null;
        Long size = null;
        Long durationNs = null;
        long startedNs = info.getStartedAt();
        long endedNs = info.getEndedAt();
        if (info.getFileResultsCount() > 0) {
            FileInfo file = info.getFileResults(0);
            location = file.getLocation();
            size = file.getSize();
            durationNs = file.getDuration();
            startedNs = file.getStartedAt() > 0 ? file.getStartedAt() : startedNs;
            endedNs = file.getEndedAt() > 0 ? file.getEndedAt() : endedNs;
        } else if (info.getSegmentResultsCount() > 0) {
            SegmentsInfo segments = info.getSegmentResults(0);
            location = segments.getPlaylistLocation();
            size = segments.getSize();
            durationNs = segments.getDuration();
            startedNs = segments.getStartedAt() > 0 ? segments.getStartedAt() : startedNs;
            endedNs = segments.getEndedAt() > 0 ? segments.getEndedAt() : endedNs;
        }
        String error = null;
        if (status == RecordingStatus.FAILED) {
            error = info.getError().isEmpty() ? "egress ended " + info.getStatus().name() : info.getError();
        }
        return Optional.of(new EgressUpdate(info.getEgressId(), info.getRoomName(), status, info.getUpdatedAt(),
                status == RecordingStatus.READY ? blankToNull(location) : null,
                status == RecordingStatus.READY ? size : null,
                status == RecordingStatus.READY && durationNs != null ? durationNs / 1_000_000 : null,
                ns(startedNs), status.terminal() ? ns(endedNs) : null, error));
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
