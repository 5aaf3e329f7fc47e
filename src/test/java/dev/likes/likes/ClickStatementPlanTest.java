package dev.likes.likes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

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
 * A full batch of clicks on as many items costs each variant of the click statement work in
 * proportion to its clicks: run under EXPLAIN ANALYZE (rolled back), planned for its values and
 * generically (as a kept prepared statement may be), no join of it throws away more rows than the
 * batch has clicks. The statement's relations are joined to one another only where the
 * planner hashes them or probes a table's key; a nested loop of one over the other is quadratic in the
 * batch (see dev.likes.counting.CountMoves' removal).
 */
@QuarkusTest
class ClickStatementPlanTest {

    /** LIKES_WRITE_MAX_BATCH's default: the largest batch a statement takes. */
    private static final int CLICKS = 256;

    @Inject
    Database database;

    @Inject
    Pool pool;

    @BeforeEach
    void seed() {
        database.clear();
        // Each item liked this minute by its unliker (a row, a bucket, a counter); its liker has not liked it yet.
        database.seed("""
                WITH liked AS (
                    INSERT INTO likes (item_id, user_id, created_at)
                    SELECT 'plan-' || i, 'unliker-' || i, now() FROM generate_series(1, $1::integer) i
                    RETURNING item_id, created_at),
                bucketed AS (
                    INSERT INTO like_buckets (item_id, minute, likes) SELECT item_id, date_trunc('minute', created_at), 1 FROM liked)
                INSERT INTO like_counts (item_id, likes, likes_hour, likes_day, likes_week) SELECT item_id, 1, 1, 1, 1 FROM liked""", CLICKS);
        database.update("ANALYZE likes, like_counts, like_buckets");
    }

    /** The seeded rows are not what clicks would leave (their hot scores are 0): they go before the next test's checks. */
    @AfterEach
    void clear() {
        database.clear();
    }

    @Test
    void aFullBatchOfClicksOnAsManyItemsThrowsAwayNoPairs() {
        String[] items = new String[CLICKS];
        String[] likers = new String[CLICKS];
        String[] unlikers = new String[CLICKS];
        for (int i = 0; i < CLICKS; i++) {
            items[i] = "plan-" + (i + 1);
            likers[i] = "liker-" + (i + 1);
            unlikers[i] = "unliker-" + (i + 1);
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (ClickStatement variant : ClickStatement.all()) {
            boolean likes = variant.direction() == Direction.LIKE;
            String[] users = likes ? likers : unlikers;
            Tuple parameters = variant.limits() == ClickStatement.Limits.ENFORCED ? Tuple.of(items, users, now, 10, 120)
                    : likes ? Tuple.of(items, users, now) : Tuple.of(items, users);
            for (Plans.Planning planning : Plans.Planning.values()) {
                JsonObject plan = Plans.explainRolledBack(pool, variant.sql(), parameters, planning);
                String what = variant + ", planned " + planning;
                assertEquals(CLICKS, Plans.written(plan, likes ? "Insert" : "Delete", "likes"), what + ": every click changed its row");
                long filtered = Plans.filteredByJoins(plan);
                assertTrue(filtered <= CLICKS, what + ": rows a join threw away, for " + CLICKS + " clicks: " + Plans.filteringJoins(plan));
            }
        }
    }
}
