package dev.likes.users;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.api.TimeCursor;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Owns the SQL of a user's likes: a keyset walk of the likes_by_user index, never OFFSET. */
@ApplicationScoped
public class UserLikesStore {

    /**
     * The index is (user_id, created_at DESC, item_id), the order of the page. {@code created_at <= $2}
     * seeks straight to the cursor; the OR only steps over the likes of the cursor's own moment.
     */
    public static final String PAGE = """
            SELECT item_id, created_at FROM likes
            WHERE user_id = $1
              AND created_at <= $2 AND (created_at < $2 OR item_id > $3)
            ORDER BY created_at DESC, item_id
            LIMIT $4
            """;

    private final Pool pool;

    public UserLikesStore(Pool pool) {
        this.pool = pool;
    }

    /** Up to {@code count} of the user's likes after {@code after} (from the newest when null). */
    Uni<List<UserLike>> likesAfter(String userId, TimeCursor after, int count) {
        Tuple asked = Tuple.of(userId, TimeCursor.timeOf(after), TimeCursor.idOf(after), count);
        return pool.preparedQuery(PAGE).execute(asked).map(rows -> {
            List<UserLike> likes = new ArrayList<>(rows.size());
            for (Row row : rows) {
                likes.add(new UserLike(row.getString("item_id"), row.getOffsetDateTime("created_at")));
            }
            return likes;
        });
    }
}
