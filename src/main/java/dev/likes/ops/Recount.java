package dev.likes.ops;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a recount found (and, unless it was a dry run, fixed). */
@Schema(name = "Recount")
public record Recount(
        @Schema(required = true, description = "Whether counters were fixed (false for a dry run)") boolean repaired,
        @Schema(required = true, description = "Items checked: every item with a counter or a like row") long checked,
        @Schema(required = true, description = "Items whose counter disagreed with their like rows") long drifted,
        @Schema(required = true, description = "Sum over those items of like rows minus counter") long delta,
        @Schema(description = "Where to resume (the 'after' of the next call) when 'limit' stopped the walk "
                + "(what follows may turn out empty); null when the walk reached the last item") String next,
        @Schema(required = true, description = "The first " + Recount.MAX_LISTED + " items that drifted") List<CounterDrift> items) {

    static final int MAX_LISTED = 100;
}
