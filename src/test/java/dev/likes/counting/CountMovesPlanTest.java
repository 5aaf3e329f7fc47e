package dev.likes.counting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.likes.support.Database;
import dev.likes.support.Plans;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A removal's work grows with its rows, not with their square: a user's likes on many items are
 * removed as an erasure step removes them, under EXPLAIN ANALYZE (rolled back), planned for its values
 * and generically, and no join of the
 * statement may throw away more rows than it removes. The counters' update once joined two of the
 * statement's relations to each other and was planned as a nested loop of one over the other: a step
 * of 500 likes threw away 249,500 pairs and took a second (src/bench/main/lifecycle.sh).
 */
@QuarkusTest
class CountMovesPlanTest {

    private static final int ITEMS = 500;

    /** The user whose likes go. */
    private static final String USER = "plan-user";

    /** Users with 10 likes each besides the one whose likes go. */
    private static final int OTHER_USERS = 2_000;

    @Inject
    Database database;

    @Inject
    Pool pool;

    @BeforeEach
    void seed() {
        database.clear();
        // Statistics as a live database has them (autovacuum's), of many users with a few likes each, taken
        // before this user's likes came (as in the benchmark's lifecycle phase): the planner then expects a
        // few of the user's likes, not 500. Without any statistics every table looks like a row or two.
        likes("other-", "other-", OTHER_USERS, 10 * OTHER_USERS);
        database.update("ANALYZE likes, like_counts, like_buckets");
        likes("plan-", USER, 1, ITEMS);
    }

    /** {@code count} likes on as many items, 10 days old, spread over {@code users} users (one: the prefix is the user), each item's counter at 1. */
    private void likes(String itemPrefix, String userPrefix, int users, int count) {
        database.seed("""
                WITH liked AS (
                    INSERT INTO likes (item_id, user_id, created_at)
                    SELECT $1 || i, CASE WHEN $3::integer = 1 THEN $2 ELSE $2 || (i % $3::integer) END, now() - interval '10 days'
                    FROM generate_series(1, $4::integer) i
                    RETURNING item_id)
                INSERT INTO like_counts (item_id, likes) SELECT item_id, 1 FROM liked""", itemPrefix, userPrefix, users, count);
    }

    /** The seeded rows are not what clicks would leave (their hot scores are 0): they go before the next test's checks. */
    @AfterEach
    void clear() {
        database.clear();
    }

    @Test
    void removingAUsersLikesOnManyItemsThrowsAwayNoPairs() {
        String removal = "WITH batch AS (SELECT item_id, user_id FROM likes WHERE user_id = $1 LIMIT $2)"
                + CountMoves.removing("batch") + "SELECT count(*) FROM counted";
        for (Plans.Planning planning : Plans.Planning.values()) {
            JsonObject plan = Plans.explainRolledBack(pool, removal, Tuple.of(USER, ITEMS), planning);
            assertEquals(ITEMS, Plans.written(plan, "Update", "like_counts"), planning + ": counters updated, the statement ran to its end");
            long filtered = Plans.filteredByJoins(plan);
            assertTrue(filtered <= ITEMS, planning + ": rows a join threw away, for " + ITEMS + " likes removed: " + Plans.filteringJoins(plan));
        }
        assertEquals(ITEMS, database.count("SELECT count(*) FROM likes WHERE user_id = $1", USER), "rolled back");
    }
}
