package dev.huddle.recordings.recordings;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.platform.paging.Cursor;
import dev.huddle.platform.paging.Page;
import dev.huddle.platform.problem.ProblemException;
import dev.huddle.recordings.config.RecordingsConfig;
import dev.huddle.recordings.recordings.RecordingRepository.Stored;
import dev.huddle.recordings.storage.RecordingStorage;
import io.smallrye.mutiny.Uni;

/** An org's recordings as its members see them: read, deleted, downloaded. 404 for a recording the org has not. */
@ApplicationScoped
public class RecordingService {

    private final RecordingRepository recordings;
    private final RecordingStorage storage;
    private final RecordingsConfig config;

    public RecordingService(RecordingRepository recordings, RecordingStorage storage, RecordingsConfig config) {
        this.recordings = recordings;
        this.storage = storage;
        this.config = config;
    }

    /** A page of the org's recordings that pass {@code filter}, newest first, after the cursor. */
    public Uni<Page<Recording>> list(UUID orgId, RecordingRepository.Filter filter, Cursor after, int limit) {
        return recordings.list(orgId, filter, after, Page.fetchSize(limit))
                .map(rows -> Page.of(rows, limit, r -> new Cursor(r.createdAt(), r.id()), r -> r));
    }

    public Uni<Recording> get(UUID orgId, UUID id) {
        return stored(orgId, id).map(Stored::recording);
    }

    /** Deletes the recording; its stored file is queued for deletion from storage. */
    public Uni<Void> delete(UUID orgId, UUID id) {
        return recordings.delete(orgId, id).invoke(deleted -> ProblemException.requireExists(deleted, "recording"))
                .replaceWithVoid();
    }

    /**
     * A presigned GET of a ready recording's file, valid for {@code recordings.storage.download-url-ttl}: 409
     * {@code not-ready} before it is ready, {@code no-file} when it has none; 503 when storage is not configured.
     */
    public Uni<DownloadUrl> downloadUrl(UUID orgId, UUID id) {
        return stored(orgId, id).map(stored -> {
            String status = stored.recording().status();
            if (!"ready".equals(status)) {
                throw ProblemException.conflict("not-ready",
                        "the recording is " + status + ": only a ready recording can be downloaded");
            }
            if (!storage.configured()) {
                throw RecordingStorage.notConfigured();
            }
            String key = storage.key(stored.objectKey(), stored.location()).orElseThrow(
                    () -> ProblemException.conflict("no-file", "the recording has no stored file to download"));
            RecordingStorage.DownloadLink link = storage.presignGet(key, config.storage().downloadUrlTtl());
            return new DownloadUrl(link.url(), OffsetDateTime.ofInstant(link.expiresAt(), ZoneOffset.UTC));
        });
    }

    private Uni<Stored> stored(UUID orgId, UUID id) {
        return recordings.find(orgId, id).plug(ProblemException.orNotFound("recording"));
    }
}
