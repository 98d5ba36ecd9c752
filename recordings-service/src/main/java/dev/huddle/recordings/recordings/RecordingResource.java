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
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.huddle.platform.paging.Cursor;
import dev.huddle.platform.paging.Page;
import dev.huddle.platform.problem.ProblemException;
import dev.huddle.platform.tenancy.RequiresAdmin;
import dev.huddle.platform.tenancy.RequiresMember;
import io.smallrye.mutiny.Uni;

@Path("/v1/recordings/orgs/{orgId}/recordings")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Recordings")
public class RecordingResource {

    private static final Set<String> STATUSES = Set.of("recording", "finalizing", "ready", "failed");

    private final RecordingRepository recordings;

    public RecordingResource(RecordingRepository recordings) {
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
            throw ProblemException.invalid("query.status", "must be one of recording, finalizing, ready, failed");
        }
        var filter = new RecordingRepository.Filter(roomId, status, time("from", from), time("to", to));
        return recordings.list(orgId, filter, after, Page.fetchSize(limit))
                .map(rows -> Page.of(rows, limit, r -> new Cursor(r.createdAt(), r.id()), r -> r));
    }

    @GET
    @Path("/{recordingId}")
    @RequiresMember
    @Operation(summary = "One of the org's recordings")
    public Uni<Recording> get(@PathParam("orgId") UUID orgId, @PathParam("recordingId") UUID recordingId) {
        return recordings.find(orgId, recordingId).map(found -> found
                .orElseThrow(() -> ProblemException.notFound("recording")).recording());
    }

    @DELETE
    @Path("/{recordingId}")
    @RequiresAdmin
    @Operation(summary = "Delete a recording", description = "Admins only. The recording goes at once; its stored "
            + "file is queued for deletion from storage.")
    public Uni<Response> delete(@PathParam("orgId") UUID orgId, @PathParam("recordingId") UUID recordingId) {
        return recordings.delete(orgId, recordingId).map(deleted -> {
            if (!deleted) {
                throw ProblemException.notFound("recording");
            }
            return Response.noContent().build();
        });
    }

    private static OffsetDateTime time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid("query." + name, "must be an RFC 3339 date-time with offset");
        }
    }
}
