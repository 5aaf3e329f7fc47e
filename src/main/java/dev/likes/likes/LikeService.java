package dev.likes.likes;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.api.IdRules;
import io.smallrye.mutiny.Uni;

/** The rules of likes: which ids and lists are acceptable. Every check runs before the database is touched. */
@ApplicationScoped
public class LikeService {

    /** The most items one batch read may ask for. */
    public static final int MAX_BATCH = 100;

    private final LikeStore store;
    private final LikeMetrics metrics;

    public LikeService(LikeStore store, LikeMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    public Uni<LikeChange> like(String itemId, String userId) {
        return metrics.timeLike(store.like(IdRules.require("itemId", itemId), IdRules.require("userId", userId)));
    }

    public Uni<LikeChange> unlike(String itemId, String userId) {
        return metrics.timeUnlike(store.unlike(IdRules.require("itemId", itemId), IdRules.require("userId", userId)));
    }

    public Uni<LikeStatus> status(String itemId, String userId) {
        return store.isLiked(IdRules.require("itemId", itemId), IdRules.require("userId", userId))
                .map(liked -> new LikeStatus(itemId, userId, liked));
    }

    public Uni<ItemLikes> count(String itemId) {
        return store.count(IdRules.require("itemId", itemId)).map(likes -> ItemLikes.of(itemId, likes));
    }

    /** Counts for 1 to {@value #MAX_BATCH} ids in the order asked, and whether {@code userId} (if given) likes each. */
    public Uni<ItemLikesList> counts(List<String> ids, String userId) {
        List<String> itemIds = IdRules.requireList("ids", ids, MAX_BATCH);
        String user = userId == null ? null : IdRules.require("userId", userId);
        return store.counts(itemIds, user).map(ItemLikesList::new);
    }
}
