package dev.likes.ranking;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One place in the ranking. */
@Schema(name = "RankedItem")
public record RankedItem(
        @Schema(required = true, description = "1 for the most liked item", examples = "1") long rank,
        @Schema(required = true, examples = "post-42") String itemId,
        @Schema(required = true, examples = "1250") long likes) {
}
