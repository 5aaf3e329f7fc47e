package dev.likes.users;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of a user's likes, newest first, and the cursor of the next page. */
@Schema(name = "UserLikesPage")
public record UserLikesPage(
        @Schema(required = true) String userId,
        @Schema(required = true) List<UserLike> items,
        @Schema(required = true, nullable = true, description = "Pass as 'after' for the next page; null on the last page")
        String next) {
}
