package dev.likes.likes;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.likes.api.IdRules;
import dev.likes.api.TooManyRequestsException;
import dev.likes.auth.AccessPolicy;
import io.smallrye.mutiny.Uni;

/**
 * The rules of likes: which ids and lists are acceptable, who may act for a user (see
 * {@link AccessPolicy}), and how often a user may change likes (see {@link ChangeLimits}). Every
 * check runs before the database is touched.
 */
@ApplicationScoped
public class LikeService {

    /** The most items one batch read may ask for. */
    public static final int MAX_BATCH = 100;

    private final LikeStore store;
    private final LikeMetrics metrics;
    private final AccessPolicy access;
    private final ChangeLimits limits;
    private final ClickQueue likes;
    private final ClickQueue unlikes;

    public LikeService(LikeStore store, LikeMetrics metrics, AccessPolicy access, ChangeLimits limits,
            @ConfigProperty(name = "likes.write.statements") int statements,
            @ConfigProperty(name = "likes.write.max-batch") int maxBatch,
            @ConfigProperty(name = "likes.db.max-waiting") int maxWaiting) {
        this.store = store;
        this.metrics = metrics;
        this.access = access;
        this.limits = limits;
        this.likes = new ClickQueue(true, store, statements, maxBatch, maxWaiting, metrics.clicksPerStatement(true));
        this.unlikes = new ClickQueue(false, store, statements, maxBatch, maxWaiting, metrics.clicksPerStatement(false));
    }

    public Uni<LikeChange> like(String itemId, String userId) {
        String item = IdRules.require("itemId", itemId);
        String user = IdRules.require("userId", userId);
        return access.actFor(user).chain(() -> metrics.timeLike(change(likes, item, user)));
    }

    public Uni<LikeChange> unlike(String itemId, String userId) {
        String item = IdRules.require("itemId", itemId);
        String user = IdRules.require("userId", userId);
        return access.actFor(user).chain(() -> metrics.timeUnlike(change(unlikes, item, user)));
    }

    /**
     * A click within the user's limits goes to its queue, and gives its reservation back if it
     * changed nothing. Over a limit, a click that would change the like is refused (429) and one
     * that repeats the current state is answered as a repeat: repeats are never limited.
     */
    private Uni<LikeChange> change(ClickQueue queue, String itemId, String userId) {
        ChangeLimits.Reservation reservation = limits.reserve(userId, itemId);
        if (reservation.granted()) {
            // A failed write gives its change back too: the click may be retried at once.
            return queue.submit(itemId, userId)
                    .invoke(answer -> {
                        if (!answer.changed()) {
                            reservation.giveBack();
                        }
                    })
                    .onFailure().invoke(reservation::giveBack);
        }
        boolean like = queue == likes;
        return store.counts(List.of(itemId), userId).map(items -> {
            ItemLikes now = items.get(0);
            if (now.liked() == like) {
                return new LikeChange(itemId, userId, like, false, now.likes());
            }
            throw new TooManyRequestsException("Too many like changes by '" + userId + "' (at most "
                    + limits.describe() + "); retry after " + reservation.retryAfterSeconds + " s",
                    reservation.retryAfterSeconds);
        });
    }

    public Uni<LikeStatus> status(String itemId, String userId) {
        String item = IdRules.require("itemId", itemId);
        String user = IdRules.require("userId", userId);
        return access.actFor(user).chain(() -> store.isLiked(item, user)).map(liked -> new LikeStatus(item, user, liked));
    }

    public Uni<ItemLikes> count(String itemId) {
        return store.count(IdRules.require("itemId", itemId)).map(likes -> ItemLikes.of(itemId, likes));
    }

    /** Counts for 1 to {@value #MAX_BATCH} ids in the order asked, and whether {@code userId} (if given) likes each. */
    public Uni<ItemLikesList> counts(List<String> ids, String userId) {
        List<String> itemIds = IdRules.requireList("ids", ids, MAX_BATCH);
        if (userId == null) {
            return store.counts(itemIds, null).map(ItemLikesList::new);
        }
        String user = IdRules.require("userId", userId);
        return access.actFor(user).chain(() -> store.counts(itemIds, user)).map(ItemLikesList::new);
    }
}
