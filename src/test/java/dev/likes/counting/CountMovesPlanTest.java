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

    @Inject
    Database database;

    @Inject
    Pool pool;

    @BeforeEach
    void seed() {
        database.clear();
        database.seed("""
                WITH liked AS (
                    INSERT INTO likes (item_id, user_id, created_at)
                    SELECT 'plan-' || i, 'plan-user', now() - interval '10 days' FROM generate_series(1, $1::integer) i
                    RETURNING item_id)
                INSERT INTO like_counts (item_id, likes) SELECT item_id, 1 FROM liked""", ITEMS);
        // Statistics, as autovacuum keeps them on a live database: without them every table looks like a
        // row or two, and the batch's own join to likes may probe the user's index instead of the key.
        database.update("ANALYZE likes, like_counts, like_buckets");
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
            JsonObject plan = Plans.explainRolledBack(pool, removal, Tuple.of("plan-user", ITEMS), planning);
            assertEquals(ITEMS, Plans.written(plan, "Update", "like_counts"), planning + ": counters updated, the statement ran to its end");
            long filtered = Plans.filteredByJoins(plan);
            assertTrue(filtered <= ITEMS, planning + ": rows a join threw away, for " + ITEMS + " likes removed: " + Plans.filteringJoins(plan));
        }
        assertEquals(ITEMS, database.count("SELECT count(*) FROM likes WHERE user_id = 'plan-user'"), "rolled back");
    }
}
