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
        String location = null;
        String key = null;
        Long size = null;
        Long durationNs = null;
        long startedNs = info.getStartedAt();
        long endedNs = info.getEndedAt();
        if (info.getFileResultsCount() > 0) {
            FileInfo file = info.getFileResults(0);
            location = file.getLocation();
            key = file.getFilename();
            size = file.getSize();
            durationNs = file.getDuration();
            startedNs = file.getStartedAt() > 0 ? file.getStartedAt() : startedNs;
            endedNs = file.getEndedAt() > 0 ? file.getEndedAt() : endedNs;
        } else if (info.getSegmentResultsCount() > 0) {
            SegmentsInfo segments = info.getSegmentResults(0);
            location = segments.getPlaylistLocation();
            key = segments.getPlaylistName();
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
                status == RecordingStatus.READY ? blankToNull(key) : null,
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
