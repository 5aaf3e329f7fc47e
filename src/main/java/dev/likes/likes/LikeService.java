package dev.likes.likes;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.likes.api.IdRules;
import io.smallrye.mutiny.Uni;

/** The rules of likes: which ids and lists are acceptable. Every check runs before the database is touched. */
@ApplicationScoped
public class LikeService {

    /** The most items one batch read may ask for. */
    public static final int MAX_BATCH = 100;

    private final LikeStore store;
    private final LikeMetrics metrics;
    private final ClickQueue likes;
    private final ClickQueue unlikes;

    public LikeService(LikeStore store, LikeMetrics metrics,
            @ConfigProperty(name = "likes.write.statements") int statements,
            @ConfigProperty(name = "likes.write.max-batch") int maxBatch,
            @ConfigProperty(name = "likes.db.max-waiting") int maxWaiting) {
        this.store = store;
        this.metrics = metrics;
        this.likes = new ClickQueue(true, store, statements, maxBatch, maxWaiting, metrics.clicksPerStatement(true));
        this.unlikes = new ClickQueue(false, store, statements, maxBatch, maxWaiting, metrics.clicksPerStatement(false));
    }

    public Uni<LikeChange> like(String itemId, String userId) {
        return metrics.timeLike(likes.submit(IdRules.require("itemId", itemId), IdRules.require("userId", userId)));
    }

    public Uni<LikeChange> unlike(String itemId, String userId) {
        return metrics.timeUnlike(unlikes.submit(IdRules.require("itemId", itemId), IdRules.require("userId", userId)));
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
