package dev.likes.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.likes.api.RetryLaterException;
import dev.likes.api.TooManyRequestsException;

/** The live-stream budget's rules, without a server: room is taken at once and given back once. */
class StreamBudgetTest {

    private static List<String> ids(int n) {
        return IntStream.range(0, n).mapToObj(i -> "item-" + i).toList();
    }

    @Test
    void followedIdsAreCappedForAllClientsTogether() {
        StreamBudget budget = new StreamBudget(100, 250, 8);
        budget.take(ids(100), "a");
        budget.take(ids(100), "b");
        RetryLaterException full = assertThrows(RetryLaterException.class, () -> budget.take(ids(51), "c"));
        assertEquals(StreamBudget.RETRY_AFTER_SECONDS, full.retryAfterSeconds());
        budget.take(ids(50), "c");
        assertEquals(250, budget.followed());
    }

    @Test
    void streamsAreCappedPerReplicaBeforePerClient() {
        StreamBudget budget = new StreamBudget(2, 1000, 1);
        budget.take(ids(1), "a");
        assertThrows(TooManyRequestsException.class, () -> budget.take(ids(1), "a"));
        budget.take(ids(1), "b");
        // The replica is full: a client with room of its own still waits (503), like everyone else.
        assertThrows(RetryLaterException.class, () -> budget.take(ids(1), "c"));
        assertThrows(RetryLaterException.class, () -> budget.take(ids(1), "a"));
    }

    @Test
    void roomGivenBackIsTakenAgain() {
        StreamBudget budget = new StreamBudget(1, 10, 1);
        budget.take(ids(10), "a");
        assertThrows(RetryLaterException.class, () -> budget.take(ids(1), "b"));
        budget.giveBack(ids(10), "a");
        assertEquals(0, budget.followed());
        budget.take(ids(10), "a");
        assertEquals(10, budget.followed());
    }

    @Test
    void aStreamEndedTwiceGivesItsRoomBackOnce() {
        StreamBudget budget = new StreamBudget(2, 10, 2);
        budget.take(ids(5), "a");
        LiveStream stream = new LiveStream(ids(5), "a", s -> budget.giveBack(s.itemIds, s.client));
        budget.take(ids(5), "a");
        // The answer's end and the stream's end both end it: only the first counts.
        stream.end();
        stream.end();
        assertEquals(5, budget.followed());
        budget.take(ids(5), "b");
        assertThrows(RetryLaterException.class, () -> budget.take(ids(1), "c"));
    }
}
