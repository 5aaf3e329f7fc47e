package dev.likes.likers;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of the users who like an item, newest like first, and the cursor of the next page. */
@Schema(name = "LikersPage")
public record LikersPage(
        @Schema(required = true) String itemId,
        @Schema(required = true) List<Liker> users,
        @Schema(required = true, nullable = true, description = "Pass as 'after' for the next page; null on the last page")
        String next) {
}
