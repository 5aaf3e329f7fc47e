package dev.likes.likers;

import java.time.OffsetDateTime;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One user who likes an item, and since when. */
@Schema(name = "Liker")
public record Liker(
        @Schema(required = true, examples = "user-7") String userId,
        @Schema(required = true, description = "When the like was made") OffsetDateTime likedAt) {
}
