package dev.likes.likes;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.api.RetryLaterException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Owns the SQL of likes and counts. A like or unlike is one statement: it adds or removes the
 * like row under its unique key and moves the count in that same statement, only when a row was
 * really added or removed. The database does the arithmetic ({@code likes + 1}), so concurrent
 * clicks can neither lose nor double a count.
 */
@ApplicationScoped
public class LikeStore {

    /**
     * What both write statements answer, about the {@code changed} and {@code counted} steps:
     * whether a row was added or removed, the count right after, and, for a call that changed
     * nothing, whether this statement's snapshot held the like and the count in that snapshot.
     * The CASE keeps those two lookups off every write that did change something.
     */
    private static final String ANSWER = """
            SELECT EXISTS (SELECT 1 FROM changed) AS changed,
                   (SELECT likes FROM counted) AS new_count,
                   CASE WHEN NOT EXISTS (SELECT 1 FROM changed)
                        THEN EXISTS (SELECT 1 FROM likes WHERE item_id = $1 AND user_id = $2) END AS seen,
                   CASE WHEN NOT EXISTS (SELECT 1 FROM changed)
                        THEN (SELECT likes FROM like_counts WHERE item_id = $1) END AS seen_count
            """;

    private static final String LIKE = """
            WITH changed AS (
                INSERT INTO likes (item_id, user_id) VALUES ($1, $2)
                ON CONFLICT (item_id, user_id) DO NOTHING
                RETURNING item_id
            ), counted AS (
                INSERT INTO like_counts AS c (item_id, likes)
                SELECT item_id, 1 FROM changed
                ON CONFLICT (item_id) DO UPDATE SET likes = c.likes + 1
                RETURNING c.likes
            )
            """ + ANSWER;

    private static final String UNLIKE = """
            WITH changed AS (
                DELETE FROM likes WHERE item_id = $1 AND user_id = $2
                RETURNING item_id
            ), counted AS (
                UPDATE like_counts AS c SET likes = c.likes - 1
                FROM changed WHERE c.item_id = changed.item_id
                RETURNING c.likes
            )
            """ + ANSWER;

    /** Counts for a list of ids in the order given, and whether a user likes each: one round trip. */
    private static final String COUNTS = """
            SELECT asked.item_id,
                   COALESCE(c.likes, 0) AS likes,
                   $2::varchar IS NOT NULL
                   AND EXISTS (SELECT 1 FROM likes l WHERE l.item_id = asked.item_id AND l.user_id = $2) AS liked
            FROM unnest($1::varchar[]) WITH ORDINALITY AS asked(item_id, position)
            LEFT JOIN like_counts c ON c.item_id = asked.item_id
            ORDER BY asked.position
            """;

    /** Statements a click may take when it keeps losing races against the same user's other clicks. */
    private static final int MAX_ATTEMPTS = 5;

    private final Pool pool;

    public LikeStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<LikeChange> like(String itemId, String userId) {
        return write(LIKE, itemId, userId, true, 1);
    }

    public Uni<LikeChange> unlike(String itemId, String userId) {
        return write(UNLIKE, itemId, userId, false, 1);
    }

    private Uni<LikeChange> write(String statement, String itemId, String userId, boolean liked, int attempt) {
        return pool.preparedQuery(statement).execute(Tuple.of(itemId, userId)).flatMap(rows -> {
            Row row = rows.iterator().next();
            if (row.getBoolean("changed")) {
                // new_count is missing only when the counter row itself is (drift; see the README's recount).
                return answer(itemId, userId, liked, true, row.getLong("new_count"));
            }
            if (row.getBoolean("seen") == liked) {
                return answer(itemId, userId, liked, false, row.getLong("seen_count"));
            }
            // Another click of the same user on the same item committed after this statement's snapshot
            // was taken: this statement waited for it and had nothing left to do, but its snapshot predates
            // that click. Run the statement again on a fresh snapshot rather than mix two moments.
            if (attempt == MAX_ATTEMPTS) {
                return Uni.createFrom().failure(new RetryLaterException(
                        "This user's likes of this item are changing too fast; retry shortly"));
            }
            return write(statement, itemId, userId, liked, attempt + 1);
        });
    }

    private static Uni<LikeChange> answer(String itemId, String userId, boolean liked, boolean changed, Long likes) {
        return Uni.createFrom().item(new LikeChange(itemId, userId, liked, changed, likes == null ? 0L : likes));
    }

    public Uni<Long> count(String itemId) {
        return Panache.withSession(() -> LikeCount.<LikeCount>findById(itemId))
                .map(count -> count == null ? 0L : count.likes);
    }

    public Uni<Boolean> isLiked(String itemId, String userId) {
        return Panache.withSession(() -> Like.<Like>findById(new Like.Key(itemId, userId)))
                .map(like -> like != null);
    }

    /** Counts in the order asked; {@code liked} is filled in only when {@code userId} is given. */
    public Uni<List<ItemLikes>> counts(List<String> itemIds, String userId) {
        return pool.preparedQuery(COUNTS)
                .execute(Tuple.of(itemIds.toArray(new String[0]), userId))
                .map(rows -> toItemLikes(rows, userId != null));
    }

    private static List<ItemLikes> toItemLikes(RowSet<Row> rows, boolean withLiked) {
        List<ItemLikes> items = new ArrayList<>(rows.size());
        for (Row row : rows) {
            items.add(new ItemLikes(row.getString("item_id"), row.getLong("likes"),
                    withLiked ? row.getBoolean("liked") : null));
        }
        return items;
    }

}
