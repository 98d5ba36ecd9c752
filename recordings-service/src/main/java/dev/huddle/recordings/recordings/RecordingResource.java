package dev.huddle.recordings.recordings;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.huddle.platform.paging.Cursor;
import dev.huddle.platform.paging.Page;
import dev.huddle.platform.problem.Problem;
import dev.huddle.platform.problem.ProblemException;
import dev.huddle.platform.tenancy.RequiresAdmin;
import dev.huddle.platform.tenancy.RequiresMember;
import io.smallrye.mutiny.Uni;

@Path("/v1/recordings/orgs/{orgId}/recordings")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Recordings")
public class RecordingResource {

    private static final Set<String> STATUSES = Set.of("recording", "finalizing", "ready", "failed");

    private final RecordingService recordings;

    public RecordingResource(RecordingService recordings) {
        this.recordings = recordings;
    }

    @GET
    @RequiresMember
    @Operation(summary = "The org's recordings, newest first", description = "Keyset-paginated: pass nextCursor "
            + "back as cursor for the next page, with the same filters. from (inclusive) and to (exclusive) bound "
            + "createdAt, as RFC 3339 date-times.")
    public Uni<Page<Recording>> list(@PathParam("orgId") UUID orgId,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit,
            @QueryParam("cursor") String cursor,
            @QueryParam("roomId") UUID roomId,
            @QueryParam("status") String status,
            @QueryParam("from") String from,
            @QueryParam("to") String to) {
        Cursor after = Cursor.decode(cursor);
        if (status != null && !STATUSES.contains(status)) {
            throw ProblemException.invalid("status", "must be one of recording, finalizing, ready, failed");
        }
        var filter = new RecordingRepository.Filter(roomId, status, time("from", from), time("to", to));
        return recordings.list(orgId, filter, after, limit);
    }

    @GET
    @Path("/{recordingId}")
    @RequiresMember
    @Operation(summary = "One of the org's recordings")
    public Uni<Recording> get(@PathParam("orgId") UUID orgId, @PathParam("recordingId") UUID recordingId) {
        return recordings.get(orgId, recordingId);
    }

    @DELETE
    @Path("/{recordingId}")
    @RequiresAdmin
    @Operation(summary = "Delete a recording", description = "Admins only. The recording goes at once; its stored "
            + "file is queued for deletion from storage.")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Uni<Response> delete(@PathParam("orgId") UUID orgId, @PathParam("recordingId") UUID recordingId) {
        return recordings.delete(orgId, recordingId).replaceWith(Response.noContent().build());
    }

    @POST
    @Path("/{recordingId}/download-url")
    @RequiresMember
    @Operation(summary = "A short-lived download URL of a ready recording", description = "Any member. A presigned "
            + "GET of the recording's file in storage, valid until expiresAt (minutes; RECORDINGS_DOWNLOAD_URL_TTL). "
            + "Each call signs a new one; nothing is stored.")
    @APIResponse(responseCode = "200", description = "The URL and when it stops working", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DownloadUrl.class)))
    @APIResponse(responseCode = "409", description = "The recording is not ready (not-ready), or has no stored file "
            + "(no-file)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "503", description = "Recording storage is not configured on this server", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<DownloadUrl> downloadUrl(@PathParam("orgId") UUID orgId, @PathParam("recordingId") UUID recordingId) {
        return recordings.downloadUrl(orgId, recordingId);
    }

    private static OffsetDateTime time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(name, "must be an RFC 3339 date-time with offset");
        }
    }
}
