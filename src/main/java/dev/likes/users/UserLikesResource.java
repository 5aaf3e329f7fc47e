package dev.likes.users;

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

import dev.likes.api.LikesApi;
import io.smallrye.mutiny.Uni;

/** HTTP for a user's likes; the rules live in {@link UserLikesService}. */
@Path("/v1/users/{userId}/likes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Users")
public class UserLikesResource {

    private final UserLikesService likes;

    public UserLikesResource(UserLikesService likes) {
        this.likes = likes;
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
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100",
                            defaultValue = "20")) String limit,
            @QueryParam("after") @Parameter(description = "The 'next' value of the previous page") String after) {
        return likes.page(userId, limit, after);
    }
}
