package dev.likes.likers;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.api.TimeCursor;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Owns the SQL of who liked an item: a keyset walk of the likes_by_item index, never OFFSET. */
@ApplicationScoped
public class LikersStore {

    /**
     * The index is (item_id, created_at DESC, user_id), the order of the page: one range scan.
     * {@code created_at <= $2} seeks straight to the cursor; the OR only steps over the likes of the
     * cursor's own moment. Users suspended (whose likes their job has yet to set aside) are not listed,
     * nor is anyone for a removed item (whose likes its job has yet to erase).
     */
    public static final String PAGE = """
            SELECT user_id, created_at FROM likes l
            WHERE item_id = $1
              AND created_at <= $2 AND (created_at < $2 OR user_id > $3)
              AND NOT EXISTS (SELECT 1 FROM suspended_users s WHERE s.user_id = l.user_id)
              AND NOT EXISTS (SELECT 1 FROM removed_items r WHERE r.item_id = $1)
            ORDER BY created_at DESC, user_id
            LIMIT $4
            """;

    private static final String REMOVED = "SELECT EXISTS (SELECT 1 FROM removed_items WHERE item_id = $1)";

    private final Pool pool;

    public LikersStore(Pool pool) {
        this.pool = pool;
    }

    /** Up to {@code count} of the item's likers after {@code after} (from the newest when null). */
    Uni<List<Liker>> likersAfter(String itemId, TimeCursor after, int count) {
        Tuple asked = Tuple.of(itemId, TimeCursor.timeOf(after), TimeCursor.idOf(after), count);
        return pool.preparedQuery(PAGE).execute(asked).map(rows -> {
            List<Liker> likers = new ArrayList<>(rows.size());
            for (Row row : rows) {
                likers.add(new Liker(row.getString("user_id"), row.getOffsetDateTime("created_at")));
            }
            return likers;
        });
    }

    /** Whether the item was removed (see dev.likes.lifecycle). */
    Uni<Boolean> removed(String itemId) {
        return pool.preparedQuery(REMOVED).execute(Tuple.of(itemId)).map(rows -> rows.iterator().next().getBoolean(0));
    }
}
