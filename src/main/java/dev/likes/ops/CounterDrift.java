package dev.likes.ops;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One item whose counter disagreed with its like rows. */
@Schema(name = "CounterDrift")
public record CounterDrift(
        @Schema(required = true, examples = "post-42") String itemId,
        @Schema(description = "The counter found; null when the item had like rows but no counter") Long counter,
        @Schema(required = true, description = "The number of like rows: the true count") long likeRows) {

    long delta() {
        return likeRows - (counter == null ? 0 : counter);
    }
}
