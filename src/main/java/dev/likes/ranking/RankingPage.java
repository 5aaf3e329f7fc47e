package dev.likes.ranking;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of the ranking and the cursor of the next page. */
@Schema(name = "RankingPage")
public record RankingPage(
        @Schema(required = true) List<RankedItem> items,
        @Schema(required = true, nullable = true, description = "Pass as 'after' for the next page; null on the last page",
                examples = "MTI1MDoxMDpwb3N0LTQy") String next) {
}
