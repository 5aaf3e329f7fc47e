package dev.likes.ranking;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One place in the ranking. */
@Schema(name = "RankedItem")
public record RankedItem(
        @Schema(required = true, description = "1 for the first item", examples = "1") long rank,
        @Schema(required = true, examples = "post-42") String itemId,
        @Schema(required = true, description = "The item's likes in the window (all time for hot)", examples = "1250") long likes,
        @Schema(required = true, description = "What the ranking sorts by: the likes in the window, or for hot the sum "
                + "of the item's likes each weighing 2^(-age / half-life), as read (a like made now weighs 1)",
                examples = "1250") double score) {
}
