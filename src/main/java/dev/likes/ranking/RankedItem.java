package dev.likes.ranking;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One place in the ranking. */
@Schema(name = "RankedItem")
public record RankedItem(
        @Schema(description = "1 for the most liked item", examples = "1") long rank,
        @Schema(examples = "post-42") String itemId,
        @Schema(examples = "1250") long likes) {
}
