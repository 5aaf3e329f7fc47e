package dev.likes.likes;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An item's count; {@code liked} only when the caller asked about a user. */
@Schema(name = "ItemLikes")
public record ItemLikes(
        @Schema(required = true, examples = "post-42") String itemId,
        @Schema(required = true, examples = "3") long likes,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "Present only when userId was given") Boolean liked) {

    public static ItemLikes of(String itemId, long likes) {
        return new ItemLikes(itemId, likes, null);
    }
}
