package dev.likes.likes;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to a like or unlike: the state now, whether this call changed it, and the count right after. */
@Schema(name = "LikeChange")
public record LikeChange(
        @Schema(examples = "post-42") String itemId,
        @Schema(examples = "user-7") String userId,
        @Schema(description = "Whether the user likes the item now") boolean liked,
        @Schema(description = "Whether this call changed it (false for a repeat)") boolean changed,
        @Schema(description = "The item's count right after this call", examples = "1") long likes) {
}
