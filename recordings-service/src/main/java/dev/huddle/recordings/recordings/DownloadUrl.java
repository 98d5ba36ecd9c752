package dev.huddle.recordings.recordings;

import java.time.OffsetDateTime;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "RecordingDownloadUrl", description = "A presigned URL that downloads the recording's file straight "
        + "from storage, without credentials, until expiresAt. Ask for a new one rather than keeping it.")
public record DownloadUrl(String url, OffsetDateTime expiresAt) {
}
