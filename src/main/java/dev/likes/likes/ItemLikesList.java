package dev.likes.likes;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Counts for several items, in the order they were asked for. */
@Schema(name = "ItemLikesList")
public record ItemLikesList(@Schema(required = true) List<ItemLikes> items) {
}
