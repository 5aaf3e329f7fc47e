package dev.likes.likers;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.api.GoneException;
import dev.likes.api.IdRules;
import dev.likes.api.ParameterRules;
import dev.likes.api.TimeCursor;
import dev.likes.auth.AccessPolicy;
import dev.likes.config.LikesConfig;
import io.smallrye.mutiny.Uni;

/**
 * The rules of who liked an item: who may see them ({@code likes.likers.visibility}: backends and
 * operators by default, since likes can be private; or anyone), page sizes and cursors. Whether one
 * user likes an item is always theirs to see (GET /v1/items/{itemId}/likes/{userId}).
 */
@ApplicationScoped
public class LikersService {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    private final LikersStore store;
    private final AccessPolicy access;
    private final boolean isPublic;

    public LikersService(LikersStore store, AccessPolicy access, LikesConfig config) {
        this.store = store;
        this.access = access;
        this.isPublic = config.likers().visibility() == LikesConfig.LikersVisibility.PUBLIC;
    }

    /** A page of up to {@code limit} of the item's likers, newest first, after the cursor {@code after}. */
    public Uni<LikersPage> page(String itemId, String limit, String after) {
        String item = IdRules.require("itemId", itemId);
        int size = (int) ParameterRules.limit("limit", limit, MAX_LIMIT, DEFAULT_LIMIT);
        TimeCursor cursor = TimeCursor.decode(after);
        Uni<Void> allowed = isPublic ? Uni.createFrom().voidItem() : access.backendOrOperate();
        // One liker more than asked tells whether a next page exists.
        return allowed.chain(() -> store.likersAfter(item, cursor, size + 1)).flatMap(likers -> {
            if (!likers.isEmpty()) {
                TimeCursor.Page<Liker> page = TimeCursor.page(likers, size, liker -> TimeCursor.after(liker.likedAt(), liker.userId()));
                return Uni.createFrom().item(new LikersPage(item, page.items(), page.next()));
            }
            return store.removed(item).map(removed -> {
                if (removed) {
                    throw new GoneException("Item '" + item + "' was removed");
                }
                return new LikersPage(item, List.of(), null);
            });
        });
    }
}
