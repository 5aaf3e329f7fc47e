package dev.likes.likes;

import static dev.likes.support.TestIds.fresh;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.likes.support.Database;
import io.quarkus.test.junit.QuarkusTest;

/** One statement writes many clicks, and answers each as if they had been applied one after another. */
@QuarkusTest
class LikeStoreTest {

    @Inject
    LikeStore store;

    @Inject
    Database database;

    @Test
    void aBatchOfLikesAnswersEachClickWithItsOwnCount() {
        String a = fresh("batch-a");
        String b = fresh("batch-b");

        List<LikeChange> answers = like(click(a, "u1"), click(a, "u2"), click(b, "u1"), click(a, "u3"));

        assertEquals(List.of(
                new LikeChange(a, "u1", true, true, 1),
                new LikeChange(a, "u2", true, true, 2),
                new LikeChange(b, "u1", true, true, 1),
                new LikeChange(a, "u3", true, true, 3)), answers);
        assertEquals(3L, database.counter(a));
        assertEquals(1L, database.counter(b));
    }

    @Test
    void repeatsInABatchChangeNothingAndAnswerTheCountTheyFound() {
        String a = fresh("batch-repeat");
        like(click(a, "u1"), click(a, "u2"));

        List<LikeChange> answers = like(click(a, "u2"), click(a, "u3"));

        assertEquals(List.of(
                new LikeChange(a, "u2", true, false, 2),
                new LikeChange(a, "u3", true, true, 3)), answers);
        assertEquals(3L, database.counter(a));
    }

    @Test
    void aBatchOfUnlikesCountsDownInOrder() {
        String a = fresh("unbatch-a");
        String b = fresh("unbatch-b");
        like(click(a, "u1"), click(a, "u2"), click(a, "u3"), click(b, "u1"));

        List<LikeChange> answers = unlike(click(a, "u1"), click(b, "nobody"), click(a, "u3"));

        assertEquals(List.of(
                new LikeChange(a, "u1", false, true, 2),
                new LikeChange(b, "nobody", false, false, 1),
                new LikeChange(a, "u3", false, true, 1)), answers);
        assertEquals(1L, database.counter(a));
        assertEquals(1, database.likeRows(a));
        assertEquals(1L, database.counter(b));
    }

    @Test
    void aCounterThatDriftedBelowItsRowsStopsAtZeroWithoutFailingTheBatch() {
        String drifted = fresh("drifted");
        String healthy = fresh("healthy");
        like(click(drifted, "u1"), click(drifted, "u2"), click(healthy, "u1"));
        database.update("UPDATE like_counts SET likes = 0 WHERE item_id = $1", drifted);

        List<LikeChange> answers = unlike(click(drifted, "u1"), click(healthy, "u1"));

        assertEquals(List.of(
                new LikeChange(drifted, "u1", false, true, 0),
                new LikeChange(healthy, "u1", false, true, 0)), answers);
        assertEquals(1, database.likeRows(drifted));
    }

    private static Like.Key click(String itemId, String userId) {
        return new Like.Key(itemId, userId);
    }

    private List<LikeChange> like(Like.Key... clicks) {
        return changes(store.write(Direction.LIKE, List.of(clicks)).await().atMost(Duration.ofSeconds(10)));
    }

    private List<LikeChange> unlike(Like.Key... clicks) {
        return changes(store.write(Direction.UNLIKE, List.of(clicks)).await().atMost(Duration.ofSeconds(10)));
    }

    /** The changes (or repeats) of a statement; null where a click raced (limits are off in these tests). */
    private static List<LikeChange> changes(List<ClickOutcome> outcomes) {
        return outcomes.stream().map(outcome -> ((ClickOutcome.Answered) outcome).change()).toList();
    }
}
