package dev.huddle.recordings.recordings;

import java.util.UUID;

/** Realtime events about recordings, on the org's channel ({@code org:<orgId>}). */
public final class RecordingEvents {

    public static final String UPDATED = "recording.updated";
    public static final String DELETED = "recording.deleted";

    private RecordingEvents() {
    }

    /** {@code recording.updated}: the recording's new status. */
    public record Updated(UUID recordingId, UUID roomId, String status) {
    }

    /** {@code recording.deleted}. */
    public record Deleted(UUID recordingId, UUID roomId) {
    }
}
