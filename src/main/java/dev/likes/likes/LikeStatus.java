package dev.likes.likes;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Whether one user likes one item. */
@Schema(name = "LikeStatus")
public record LikeStatus(
        @Schema(required = true, examples = "post-42") String itemId,
        @Schema(required = true, examples = "user-7") String userId,
        @Schema(required = true) boolean liked) {
}
