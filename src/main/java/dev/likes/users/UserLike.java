package dev.likes.users;

import java.time.OffsetDateTime;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One item a user likes, and since when. */
@Schema(name = "UserLike")
public record UserLike(
        @Schema(required = true, examples = "post-42") String itemId,
        @Schema(required = true, description = "When the like was made") OffsetDateTime likedAt) {
}
