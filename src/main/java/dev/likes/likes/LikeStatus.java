package dev.likes.likes;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Whether one user likes one item. */
@Schema(name = "LikeStatus")
public record LikeStatus(
        @Schema(examples = "post-42") String itemId,
        @Schema(examples = "user-7") String userId,
        boolean liked) {
}
