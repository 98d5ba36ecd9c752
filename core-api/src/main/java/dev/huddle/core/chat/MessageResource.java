package dev.huddle.core.chat;

import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.huddle.platform.paging.Cursor;
import dev.huddle.platform.paging.Page;
import dev.huddle.platform.problem.Problem;
import dev.huddle.platform.tenancy.OrgContext;
import dev.huddle.platform.tenancy.OrgMembership;
import dev.huddle.platform.tenancy.RequiresMember;
import io.smallrye.mutiny.Uni;

@Path("/v1/orgs/{orgId}/rooms/{roomId}/messages")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Chat")
public class MessageResource {

    private static final String NOT_IN_ROOM = " A room not in the organization, or a message not in the room, is 404.";

    private final MessageService messages;
    private final OrgContext orgContext;

    public MessageResource(MessageService messages, OrgContext orgContext) {
        this.messages = messages;
        this.orgContext = orgContext;
    }

    @POST
    @RequiresMember
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Post a message", description = "Any member may post. The body is trimmed and must then be "
            + "1 to 4000 characters. With parentId the message is a reply in that message's thread: the parent must "
            + "be a top-level message of the same room, else 400 (field body.parentId); threads are one level deep, "
            + "so a reply to a reply is refused (400) too. Each member may post `huddle.chat.rate-limit.messages` "
            + "messages per `huddle.chat.rate-limit.period` in an organization (20 per 10 s by default), counted "
            + "across all replicas; over it the answer is 429 with Retry-After and nothing is posted. Announced as "
            + "`message.created` on channel `room:<roomId>`." + NOT_IN_ROOM)
    @APIResponse(responseCode = "201", description = "Posted; Location is the message", headers = @Header(name = "Location", description = "The message's URL", schema = @Schema(type = SchemaType.STRING)), content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MessageResponse.class)))
    @APIResponse(responseCode = "429", description = "Posting too fast; retry after Retry-After seconds", headers = @Header(name = "Retry-After", description = "Seconds until a post is accepted again", schema = @Schema(type = SchemaType.INTEGER)), content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<Response> post(@PathParam("orgId") UUID orgId, @PathParam("roomId") UUID roomId,
            @Valid @NotNull PostMessageRequest body) {
        UUID authorId = orgContext.membership().userId();
        return messages.post(orgId, roomId, authorId, body.body(), body.parentId())
                .map(m -> Response.created(UriBuilder.fromResource(MessageResource.class).path("{messageId}")
                        .build(orgId, roomId, m.id())).entity(MessageResponse.of(m)).build());
    }

    @GET
    @RequiresMember
    @Operation(summary = "The room's messages, newest first", description = "Top-level messages only, each with "
            + "its replyCount; a thread's replies are listed by the replies operation. Keyset-paginated: pass "
            + "nextCursor back as cursor for the next page." + NOT_IN_ROOM)
    public Uni<Page<MessageResponse>> history(@PathParam("orgId") UUID orgId, @PathParam("roomId") UUID roomId,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit,
            @QueryParam("cursor") String cursor) {
        Cursor after = Cursor.decode(cursor);
        return messages.history(orgId, roomId, after, limit).map(MessageResource::toResponses);
    }

    @GET
    @Path("/{messageId}")
    @RequiresMember
    @Operation(summary = "Get a message", description = "Any member may read it." + NOT_IN_ROOM)
    public Uni<MessageResponse> get(@PathParam("orgId") UUID orgId, @PathParam("roomId") UUID roomId,
            @PathParam("messageId") UUID messageId) {
        return messages.get(orgId, roomId, messageId).map(MessageResponse::of);
    }

    @GET
    @Path("/{messageId}/replies")
    @RequiresMember
    @Operation(summary = "A message's thread, newest first", description = "The replies to a top-level message "
            + "(a reply has none). Keyset-paginated like the room's messages." + NOT_IN_ROOM)
    public Uni<Page<MessageResponse>> replies(@PathParam("orgId") UUID orgId, @PathParam("roomId") UUID roomId,
            @PathParam("messageId") UUID messageId,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit,
            @QueryParam("cursor") String cursor) {
        Cursor after = Cursor.decode(cursor);
        return messages.replies(orgId, roomId, messageId, after, limit).map(MessageResource::toResponses);
    }

    @PATCH
    @Path("/{messageId}")
    @RequiresMember
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Edit a message", description = "Only its author may, whatever their role (admins and "
            + "owners get 403 for others' messages). The body is trimmed and must then be 1 to 4000 characters; "
            + "updatedAt changes. Announced as `message.updated` on channel `room:<roomId>`." + NOT_IN_ROOM)
    @APIResponse(responseCode = "200", description = "The edited message")
    @APIResponse(responseCode = "403", description = "Not the author", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<MessageResponse> edit(@PathParam("orgId") UUID orgId, @PathParam("roomId") UUID roomId,
            @PathParam("messageId") UUID messageId, @Valid @NotNull EditMessageRequest body) {
        UUID callerId = orgContext.membership().userId();
        return messages.edit(orgId, roomId, messageId, callerId, body.body()).map(MessageResponse::of);
    }

    @DELETE
    @Path("/{messageId}")
    @RequiresMember
    @Operation(summary = "Delete a message", description = "Its author may, and so may an admin or owner. Deleting "
            + "a top-level message deletes its thread. Announced as `message.deleted` on channel `room:<roomId>` "
            + "(one event, for the message deleted; clients drop its thread with it)." + NOT_IN_ROOM)
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", description = "Neither the author nor an admin or owner", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<Response> delete(@PathParam("orgId") UUID orgId, @PathParam("roomId") UUID roomId,
            @PathParam("messageId") UUID messageId) {
        OrgMembership caller = orgContext.membership();
        return messages.delete(orgId, roomId, messageId, caller.userId(), orgContext.canModerate())
                .replaceWith(Response.noContent().build());
    }

    private static Page<MessageResponse> toResponses(Page<Message> page) {
        return new Page<>(page.items().stream().map(MessageResponse::of).toList(), page.nextCursor());
    }
}
