package dev.likes.ranking;

import java.time.OffsetDateTime;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of the ranking and the cursor of the next page. */
@Schema(name = "RankingPage")
public record RankingPage(
        @Schema(required = true, enumeration = {"all", "hour", "day", "week", "hot"}, examples = "hour") String window,
        @Schema(required = true, nullable = true,
                description = "The window counts the likes created at or after this minute that still stand; "
                        + "null for all and hot", examples = "2026-11-23T15:04:00Z") OffsetDateTime since,
        @Schema(required = true) List<RankedItem> items,
        @Schema(required = true, nullable = true, description = "Pass as 'after' for the next page; null on the last page",
                examples = "MTI1MDoxMDpwb3N0LTQy") String next) {
}
