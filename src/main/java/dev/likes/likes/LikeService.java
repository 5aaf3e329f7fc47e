package dev.likes.likes;

import java.util.List;

import jakarta.inject.Singleton;

import dev.likes.api.IdRules;
import dev.likes.api.TooManyRequestsException;
import dev.likes.auth.AccessPolicy;
import dev.likes.config.LikesConfig;
import dev.likes.tracing.StatementTracer;
import io.smallrye.mutiny.Uni;

/**
 * The rules of likes: which ids and lists are acceptable and who may act for a user (see
 * {@link AccessPolicy}), checked before the database is touched; how often a user may change likes
 * (see {@link ChangeLimits}) is checked by the click's own statement.
 */
// A singleton, not application-scoped: every click calls it, so no client proxy stands in between.
@Singleton
public class LikeService {

    /** The most items one batch read may ask for. */
    public static final int MAX_BATCH = 100;

    private final LikeStore store;
    private final LikeMetrics metrics;
    private final AccessPolicy access;
    private final ClickQueue likes;
    private final ClickQueue unlikes;
    private final WriteBudget budget;

    public LikeService(LikeStore store, LikeMetrics metrics, AccessPolicy access, ChangeLimits limits, LikesConfig config, StatementTracer tracer) {
        this.store = store;
        this.metrics = metrics;
        this.access = access;
        int statements = config.write().statements();
        int maxBatch = config.write().maxBatch();
        int maxWaiting = config.db().maxWaiting();
        this.likes = new ClickQueue(Direction.LIKE, store::write, limits, statements, maxBatch, maxWaiting, metrics.clicksPerStatement(Direction.LIKE), tracer.tracer());
        this.unlikes = new ClickQueue(Direction.UNLIKE, store::write, limits, statements, maxBatch, maxWaiting, metrics.clicksPerStatement(Direction.UNLIKE), tracer.tracer());
        this.budget = new WriteBudget(config.limit().writesPerUser(), config.limit().writeBudgetUsers(), System::nanoTime);
    }

    public Uni<LikeChange> like(String itemId, String userId) {
        String item = IdRules.require("itemId", itemId);
        String user = IdRules.require("userId", userId);
        return access.actFor(user).chain(() -> metrics.timeLike(withinBudget(user, () -> change(likes, item, user))));
    }

    public Uni<LikeChange> unlike(String itemId, String userId) {
        String item = IdRules.require("itemId", itemId);
        String user = IdRules.require("userId", userId);
        return access.actFor(user).chain(() -> metrics.timeUnlike(withinBudget(user, () -> change(unlikes, item, user))));
    }

    /** The write, if {@code userId} has room in its write budget; otherwise 429 before the database is touched. */
    private Uni<LikeChange> withinBudget(String userId, java.util.function.Supplier<Uni<LikeChange>> write) {
        long wait = budget.take(userId);
        if (wait > 0) {
            return Uni.createFrom().failure(budget.refusal(userId, wait));
        }
        return write.get();
    }

    /**
     * A click, through its queue. The limits refuse only clicks that would change the like in the
     * statement's snapshot; should the same user's other click have made this one a repeat meanwhile,
     * it is answered as the repeat it is (repeats are never limited), from the primary's current state.
     */
    private Uni<LikeChange> change(ClickQueue queue, String itemId, String userId) {
        return queue.submit(itemId, userId).onFailure(TooManyRequestsException.class).recoverWithUni(refused ->
                store.counts(List.of(itemId), userId).map(items -> {
                    ItemLikes now = items.get(0);
                    if (now.liked() != queue.direction().likes()) {
                        throw (TooManyRequestsException) refused;
                    }
                    return new LikeChange(itemId, userId, queue.direction().likes(), false, now.likes());
                }));
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
            return store.publicCounts(itemIds).map(ItemLikesList::new);
        }
        String user = IdRules.require("userId", userId);
        return access.actFor(user).chain(() -> store.counts(itemIds, user)).map(ItemLikesList::new);
    }
}
