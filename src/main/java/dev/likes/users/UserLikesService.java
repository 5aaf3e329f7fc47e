package dev.likes.users;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.api.IdRules;
import dev.likes.api.ParameterRules;
import dev.likes.api.TimeCursor;
import dev.likes.auth.AccessPolicy;
import io.smallrye.mutiny.Uni;

/** The rules of a user's likes: ids, who may read them (the user, or a backend acting for users), page sizes and cursors. */
@ApplicationScoped
public class UserLikesService {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    private final UserLikesStore store;
    private final AccessPolicy access;

    public UserLikesService(UserLikesStore store, AccessPolicy access) {
        this.store = store;
        this.access = access;
    }

    /** A page of up to {@code limit} of the user's likes, newest first, after the cursor {@code after}. */
    public Uni<UserLikesPage> page(String userId, String limit, String after) {
        String user = IdRules.require("userId", userId);
        int size = (int) ParameterRules.limit("limit", limit, MAX_LIMIT, DEFAULT_LIMIT);
        TimeCursor cursor = TimeCursor.decode(after);
        // One like more than asked tells whether a next page exists.
        return access.actFor(user).chain(() -> store.likesAfter(user, cursor, size + 1)).map(likes -> {
            TimeCursor.Page<UserLike> page = TimeCursor.page(likes, size, like -> TimeCursor.after(like.likedAt(), like.itemId()));
            return new UserLikesPage(user, page.items(), page.next());
        });
    }
}
