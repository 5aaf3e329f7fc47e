package dev.likes.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.subscription.UniEmitter;

/** The rules of counts kept in memory, without a server: a loader the test answers, a clock it moves. */
class CountCacheTest {

    private final AtomicLong now = new AtomicLong();
    private final CountCache cache = new CountCache(1000, Duration.ofSeconds(5), now::get);
    /** Every read the cache asked for, and its answer to come. */
    private final List<List<String>> asked = new ArrayList<>();
    private final List<UniEmitter<? super Map<String, Long>>> answers = new ArrayList<>();

    private final CountCache.Loader loader = ids -> Uni.createFrom().emitter(emitter -> {
        asked.add(List.copyOf(ids));
        answers.add(emitter);
    });

    CountCacheTest() {
        cache.open();
    }

    private UniAssertSubscriber<Map<String, Long>> ask(String... ids) {
        return cache.counts(List.of(ids), loader).subscribe().withSubscriber(UniAssertSubscriber.create());
    }

    private void answerLast(Map<String, Long> counts) {
        answers.get(answers.size() - 1).complete(counts);
    }

    @Test
    void whatIsKeptIsServedWithoutARead() {
        UniAssertSubscriber<Map<String, Long>> first = ask("a", "b");
        answerLast(Map.of("a", 3L));
        assertEquals(Map.of("a", 3L, "b", 0L), first.getItem(), "an item the database has no row for has 0");
        assertEquals(Map.of("a", 3L, "b", 0L), ask("a", "b").getItem());
        assertEquals(1, asked.size(), "the second request read nothing");
        assertEquals(2, cache.hits());
    }

    @Test
    void whatARequestMissesIsReadInOneQuery() {
        ask("a");
        answerLast(Map.of("a", 1L));
        UniAssertSubscriber<Map<String, Long>> mixed = ask("a", "b", "c", "b");
        assertEquals(List.of("b", "c"), asked.get(1), "the missed ids, each once, in one read");
        answerLast(Map.of("b", 2L, "c", 3L));
        assertEquals(Map.of("a", 1L, "b", 2L, "c", 3L), mixed.getItem());
    }

    @Test
    void aCountIsReadAgainOnceItIsTooOldEvenWithoutAnAnnouncement() {
        ask("a");
        answerLast(Map.of("a", 1L));
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        UniAssertSubscriber<Map<String, Long>> later = ask("a");
        assertEquals(2, asked.size());
        answerLast(Map.of("a", 2L));
        assertEquals(Map.of("a", 2L), later.getItem());
    }

    @Test
    void aRequestThatMissesAnItemBeingReadWaitsForThatRead() {
        UniAssertSubscriber<Map<String, Long>> first = ask("a", "b");
        UniAssertSubscriber<Map<String, Long>> second = ask("b", "c");
        assertEquals(List.of(List.of("a", "b"), List.of("c")), asked, "b is not read twice at once");
        answers.get(1).complete(Map.of("c", 7L));
        second.assertNotTerminated(); // it waits for b
        answers.get(0).complete(Map.of("a", 1L, "b", 2L));
        assertEquals(Map.of("a", 1L, "b", 2L), first.getItem());
        assertEquals(Map.of("b", 2L, "c", 7L), second.getItem());
    }

    @Test
    void aChangeAnnouncedDuringAReadIsServedButNotKept() {
        UniAssertSubscriber<Map<String, Long>> reading = ask("a", "b");
        cache.changed("a");
        answerLast(Map.of("a", 1L, "b", 1L));
        assertEquals(Map.of("a", 1L, "b", 1L), reading.getItem(), "what the read found is a committed count");
        ask("a", "b");
        assertEquals(List.of("a"), asked.get(1), "a is read again, b was kept");
    }

    @Test
    void aChangeAnnouncedForAKeptCountDropsIt() {
        ask("a");
        answerLast(Map.of("a", 1L));
        cache.changed("a");
        cache.changed("never-asked");
        UniAssertSubscriber<Map<String, Long>> after = ask("a");
        answerLast(Map.of("a", 2L));
        assertEquals(Map.of("a", 2L), after.getItem());
        assertEquals(1, cache.entries());
    }

    @Test
    void whileClosedNothingIsServedFromMemoryAndReopeningStartsAfresh() {
        ask("a");
        answerLast(Map.of("a", 1L));
        cache.close();
        ask("a");
        ask("a");
        assertEquals(3, asked.size(), "every request reads while announcements cannot arrive");
        answers.forEach(answer -> answer.complete(Map.of("a", 2L)));
        cache.open();
        ask("a");
        assertEquals(4, asked.size(), "nothing kept from before");
    }

    @Test
    void aReadUnderWayWhenEverythingIsClearedIsNotKept() {
        ask("a");
        cache.clear();
        answerLast(Map.of("a", 1L));
        ask("a");
        assertEquals(2, asked.size());
    }

    @Test
    void aFailedReadFailsItsWaitersAndIsNotKept() {
        UniAssertSubscriber<Map<String, Long>> first = ask("a");
        UniAssertSubscriber<Map<String, Long>> second = ask("a");
        answers.get(0).fail(new IllegalStateException("database away"));
        first.assertFailedWith(IllegalStateException.class);
        second.assertFailedWith(IllegalStateException.class);
        ask("a");
        assertEquals(2, asked.size(), "read again");
    }

    @Test
    void theItemsKeptAreBounded() {
        CountCache small = new CountCache(10, Duration.ofSeconds(5), now::get);
        small.open();
        List<String> ids = IntStream.range(0, 100).mapToObj(i -> "item-" + i).toList();
        small.counts(ids, missed -> Uni.createFrom().item(missed.stream().collect(Collectors.toMap(id -> id, id -> 1L))))
                .await().indefinitely();
        assertTrue(small.entries() <= 10, small.entries() + " kept");
        assertTrue(small.evictions() >= 90, small.evictions() + " evicted");
    }

    @Test
    void aLoaderThatThrowsFailsTheRequest() {
        UniAssertSubscriber<Map<String, Long>> failed = cache.counts(List.of("a"), ids -> {
            throw new IllegalStateException("no");
        }).subscribe().withSubscriber(UniAssertSubscriber.create());
        failed.assertFailedWith(IllegalStateException.class);
        ask("a");
        assertEquals(List.of(List.of("a")), asked, "the next request reads again");
    }

    /** A request gone (its client left) or failed for another reason leaves no read half done for the others. */
    @Test
    void aReadGoesOnForItsWaitersWhenTheRequestThatBeganItIsGone() {
        UniAssertSubscriber<Map<String, Long>> leaving = ask("a");
        UniAssertSubscriber<Map<String, Long>> staying = ask("a");
        leaving.cancel();
        answerLast(Map.of("a", 4L));
        staying.assertItem(Map.of("a", 4L));

        UniAssertSubscriber<Map<String, Long>> first = ask("x");
        UniAssertSubscriber<Map<String, Long>> both = ask("x", "y"); // waits for x, reads y
        answers.get(1).fail(new IllegalStateException("x's read failed"));
        first.assertFailedWith(IllegalStateException.class);
        both.assertFailedWith(IllegalStateException.class);
        answers.get(2).complete(Map.of("y", 9L)); // y's read, begun by the failed request, still ends
        assertEquals(Map.of("y", 9L), ask("y").getItem());
        assertEquals(3, asked.size(), "y was kept: no read of it again");
    }
}
