package dev.likes.likes;

import java.util.List;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.resteasy.reactive.RestResponse;

import dev.likes.api.IdRules;
import dev.likes.api.LikesApi;
import dev.likes.lifecycle.LifecycleJob;
import dev.likes.lifecycle.LifecycleResource;
import dev.likes.lifecycle.LifecycleService;
import dev.likes.likers.LikersPage;
import dev.likes.likers.LikersService;
import io.smallrye.mutiny.Uni;

/** HTTP for likes and counts; the rules live in {@link LikeService}. */
@Path("/v1/items")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Likes")
@APIResponse(responseCode = "400", ref = "BadRequest")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class LikeResource {

    private final LikeService likes;
    private final LikersService likers;
    private final LifecycleService lifecycle;

    public LikeResource(LikeService likes, LikersService likers, LifecycleService lifecycle) {
        this.likes = likes;
        this.likers = likers;
        this.lifecycle = lifecycle;
    }

    @PUT
    @Path("/{itemId}/likes/{userId}")
    @SecurityRequirement(name = LikesApi.BEARER)
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "410", ref = "ItemRemoved")
    @APIResponse(responseCode = "429", ref = "TooManyChanges")
    @Operation(summary = "Like an item",
            description = "Idempotent: a repeat answers changed=false with the current count, so retrying is always safe. "
                    + "A suspended user's like is refused (403).")
    @APIResponse(responseCode = "200", description = "The user likes the item")
    public Uni<LikeChange> like(@PathParam("itemId") @Parameter(ref = "itemId") String itemId,
            @PathParam("userId") @Parameter(ref = "userId") String userId) {
        return likes.like(itemId, userId);
    }

    @DELETE
    @Path("/{itemId}/likes/{userId}")
    @SecurityRequirement(name = LikesApi.BEARER)
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "410", ref = "ItemRemoved")
    @APIResponse(responseCode = "429", ref = "TooManyChanges")
    @Operation(summary = "Unlike an item",
            description = "Idempotent: unliking what is not liked answers changed=false with the current count. "
                    + "A suspended user's unlike is refused (403).")
    @APIResponse(responseCode = "200", description = "The user does not like the item")
    public Uni<LikeChange> unlike(@PathParam("itemId") @Parameter(ref = "itemId") String itemId,
            @PathParam("userId") @Parameter(ref = "userId") String userId) {
        return likes.unlike(itemId, userId);
    }

    @GET
    @Path("/{itemId}/likes/{userId}")
    @SecurityRequirement(name = LikesApi.BEARER)
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @Operation(summary = "Whether a user likes an item")
    @APIResponse(responseCode = "200", description = "The like's state")
    public Uni<LikeStatus> status(@PathParam("itemId") @Parameter(ref = "itemId") String itemId,
            @PathParam("userId") @Parameter(ref = "userId") String userId) {
        return likes.status(itemId, userId);
    }

    @GET
    @Path("/{itemId}/likes")
    @SecurityRequirement(name = LikesApi.BEARER)
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "410", ref = "ItemRemoved")
    @Operation(summary = "Who likes an item",
            description = "Newest like first, ties by userId in code-point order; keyset-paged: follow 'next' until it is null. "
                    + "For backends and operators, unless the service is set to show it to anyone (LIKES_LIKERS_VISIBILITY=public). "
                    + "Suspended users' likes are not listed.")
    @APIResponse(responseCode = "200", description = "A page of the item's likers")
    public Uni<LikersPage> likers(@PathParam("itemId") @Parameter(ref = "itemId") String itemId,
            @QueryParam("limit") @Parameter(description = "Likers per page, 1 to " + LikersService.MAX_LIMIT,
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "" + LikersService.MAX_LIMIT,
                            defaultValue = "20")) String limit,
            @QueryParam("after") @Parameter(description = "The 'next' value of the previous page") String after) {
        return likers.page(itemId, limit, after);
    }

    @DELETE
    @Path("/{itemId}")
    @SecurityRequirement(name = LikesApi.BEARER)
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @Operation(summary = "Remove an item (backends and operators)",
            description = "At once, likes and unlikes of the item are refused (410) and it leaves every ranking; its likes, "
                    + "buckets and counter then go, in batches. Safe to call again: while the job runs, the same job is answered. "
                    + "An operator can let the id take likes again (DELETE /v1/admin/items/{itemId}/removal); it starts at 0.")
    @APIResponse(responseCode = "202", ref = "JobAccepted")
    public Uni<RestResponse<LifecycleJob>> remove(@PathParam("itemId") @Parameter(ref = "itemId") String itemId) {
        return lifecycle.remove(itemId).map(LifecycleResource::accepted);
    }

    @GET
    @Path("/{itemId}")
    @Operation(summary = "An item's like count", description = "0 for an item never liked.")
    @APIResponse(responseCode = "200", description = "The item's count")
    public Uni<ItemLikes> count(@PathParam("itemId") @Parameter(ref = "itemId") String itemId) {
        return likes.count(itemId);
    }

    @GET
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @Operation(summary = "Counts of several items",
            description = "Answers in the order asked, one entry per id asked (repeats included).")
    @APIResponse(responseCode = "200", description = "The items' counts")
    public Uni<ItemLikesList> counts(
            @QueryParam("ids") @Parameter(description = "1 to " + LikeService.MAX_BATCH
                    + " item ids, comma-separated (the parameter may also repeat)",
                    required = true, example = "post-1,post-2,post-3") List<String> ids,
            @QueryParam("userId") @Parameter(description = "Also tell whether this user likes each item "
                    + "(then a bearer token acting for the user is needed, as for the user's own calls); "
                    + IdRules.RULE, example = "user-7") String userId) {
        return likes.counts(ids, userId);
    }
}
