package dev.likes.likes;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to a like or unlike: the state now, whether this call changed it, and the count right after. */
@Schema(name = "LikeChange")
public record LikeChange(
        @Schema(required = true, examples = "post-42") String itemId,
        @Schema(required = true, examples = "user-7") String userId,
        @Schema(required = true, description = "Whether the user likes the item now") boolean liked,
        @Schema(required = true, description = "Whether this call changed it (false for a repeat)") boolean changed,
        @Schema(required = true, description = "The item's count right after this call", examples = "1") long likes) {
}
