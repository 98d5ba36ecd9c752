package dev.huddle.recordings.recordings;

import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.huddle.platform.paging.Cursor;
import dev.huddle.platform.paging.Page;
import dev.huddle.platform.tenancy.RequiresMember;
import io.smallrye.mutiny.Uni;

@Path("/v1/recordings/orgs/{orgId}/recordings")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Recordings")
public class RecordingResource {

    private final RecordingRepository recordings;

    public RecordingResource(RecordingRepository recordings) {
        this.recordings = recordings;
    }

    @GET
    @RequiresMember
    @Operation(summary = "The org's recordings, newest first", description = "Keyset-paginated: pass nextCursor "
            + "back as cursor for the next page.")
    public Uni<Page<Recording>> list(@PathParam("orgId") UUID orgId,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit,
            @QueryParam("cursor") String cursor) {
        Cursor after = Cursor.decode(cursor);
        return recordings.list(orgId, after, Page.fetchSize(limit))
                .map(rows -> Page.of(rows, limit, r -> new Cursor(r.createdAt(), r.id()), r -> r));
    }
}
