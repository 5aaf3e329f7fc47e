package dev.likes.users;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import org.jboss.resteasy.reactive.RestResponse;

import dev.likes.api.LikesApi;
import dev.likes.lifecycle.LifecycleJob;
import dev.likes.lifecycle.LifecycleResource;
import dev.likes.lifecycle.LifecycleService;
import io.smallrye.mutiny.Uni;

/** HTTP for a user's likes; the rules live in {@link UserLikesService}. */
@Path("/v1/users/{userId}/likes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Users")
public class UserLikesResource {

    private final UserLikesService likes;
    private final LifecycleService lifecycle;

    public UserLikesResource(UserLikesService likes, LifecycleService lifecycle) {
        this.likes = likes;
        this.lifecycle = lifecycle;
    }

    @DELETE
    @SecurityRequirement(name = LikesApi.BEARER)
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @Operation(summary = "Erase a user's likes",
            description = "Every like of the user goes, and each count it touched (all time and every window) falls by exactly "
                    + "the likes removed, in the statement that removes them, in batches. Likes kept while the user was suspended "
                    + "go too. Safe to call again (while the job runs, the same job is answered); a job interrupted by a crash "
                    + "goes on by itself. For the user's own token, a backend acting for users, or an operator.")
    @APIResponse(responseCode = "202", ref = "JobAccepted")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Uni<RestResponse<LifecycleJob>> erase(@PathParam("userId") @Parameter(ref = "userId") String userId) {
        return lifecycle.erase(userId).map(LifecycleResource::accepted);
    }

    @GET
    @SecurityRequirement(name = LikesApi.BEARER)
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @Operation(summary = "The items a user likes",
            description = "Newest like first, ties by itemId in code-point order. Pages are keyset-paged: "
                    + "follow 'next' until it is null.")
    @APIResponse(responseCode = "200", description = "A page of the user's likes")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Uni<UserLikesPage> likes(
            @PathParam("userId") @Parameter(ref = "userId") String userId,
            @QueryParam("limit") @Parameter(description = "Likes per page, 1 to " + UserLikesService.MAX_LIMIT,
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "" + UserLikesService.MAX_LIMIT,
                            defaultValue = "20")) String limit,
            @QueryParam("after") @Parameter(description = "The 'next' value of the previous page") String after) {
        return likes.page(userId, limit, after);
    }
}
