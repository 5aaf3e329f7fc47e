package dev.likes.likes;

import static dev.likes.support.TestIds.fresh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.likes.support.Clicks;
import dev.likes.support.Clicks.Answer;
import dev.likes.support.Clicks.Click;
import dev.likes.support.Database;
import dev.likes.support.Metrics;
import dev.likes.support.TestClock;
import dev.likes.ranking.WindowAging;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Concurrent clicks never lose, double or negate a count. */
@QuarkusTest
class ConcurrentLikesTest {

    static final int CLIENTS = 64;

    @TestHTTPResource("/")
    URI base;

    @Inject
    Database database;
    @Inject
    TestClock clock;
    @Inject
    WindowAging aging;

    @Test
    void fiveHundredUsersLikeOneItemThenAllUnlike() {
        Clicks clicks = new Clicks(base);
        String item = fresh("viral");
        List<String> users = IntStream.range(0, 500).mapToObj(i -> "user-" + i).toList();

        List<Answer> likes = clicks.concurrently(CLIENTS, users.stream().map(u -> Click.like(item, u)).toList());

        assertTrue(likes.stream().allMatch(a -> a.status() == 200 && a.changed()), "every like answers changed:true");
        // Each answer carries the count right after its own like: together they are exactly 1..500.
        assertEquals(LongStream.rangeClosed(1, 500).boxed().collect(Collectors.toSet()), counts(likes));
        assertEquals(500L, database.counter(item));
        assertEquals(500, database.likeRows(item));

        List<Answer> unlikes = clicks.concurrently(CLIENTS, users.stream().map(u -> Click.unlike(item, u)).toList());

        assertTrue(unlikes.stream().allMatch(a -> a.status() == 200 && a.changed()), "every unlike answers changed:true");
        assertEquals(LongStream.range(0, 500).boxed().collect(Collectors.toSet()), counts(unlikes));
        assertEquals(0L, database.counter(item));
        assertEquals(0, database.likeRows(item));
        assertTrue(clicks.mostInFlight() >= CLIENTS / 2, "requests overlapped: " + clicks.mostInFlight() + " in flight");
    }

    @Test
    void aViralItemsClicksShareStatements() {
        Clicks clicks = new Clicks(base);
        String item = fresh("shared");
        double statements = Metrics.value("likes_write_batch_clicks_count", "action=\"like\"");

        List<Answer> likes = clicks.concurrently(CLIENTS,
                IntStream.range(0, 1000).mapToObj(i -> Click.like(item, "user-" + i)).toList());

        assertEquals(LongStream.rangeClosed(1, 1000).boxed().collect(Collectors.toSet()), counts(likes));
        double used = Metrics.value("likes_write_batch_clicks_count", "action=\"like\"") - statements;
        assertTrue(used < 1000, "1000 likes took " + used + " statements");
    }

    @Test
    void oneUserDoubleClickingCountsOnce() {
        Clicks clicks = new Clicks(base);
        for (int round = 0; round < 20; round++) {
            String item = fresh("double");
            List<Answer> likes = clicks.concurrently(8, nTimes(8, Click.like(item, "clicker")));

            assertEquals(1, likes.stream().filter(Answer::changed).count(), "exactly one like changed");
            assertEquals(Set.of(1L), counts(likes), "every answer, changed or not, says 1 like");
            assertEquals(1L, database.counter(item));

            List<Answer> unlikes = clicks.concurrently(8, nTimes(8, Click.unlike(item, "clicker")));

            assertEquals(1, unlikes.stream().filter(Answer::changed).count(), "exactly one unlike changed");
            assertEquals(Set.of(0L), counts(unlikes), "every answer, changed or not, says 0 likes");
            assertEquals(0L, database.counter(item));
        }
    }

    @Test
    void oneUserTogglingFastGetsAnswersThatAgreeWithThemselves() {
        Clicks clicks = new Clicks(base);
        for (int round = 0; round < 10; round++) {
            String item = fresh("toggle");
            List<Click> toggles = IntStream.range(0, 200)
                    .mapToObj(i -> i % 2 == 0 ? Click.like(item, "toggler") : Click.unlike(item, "toggler"))
                    .toList();

            List<Answer> answers = clicks.concurrently(16, toggles);

            int refused = 0;
            for (Answer answer : answers) {
                if (answer.status() == 503) {
                    // A click that lost ClickQueue.MAX_ATTEMPTS races in a row to the same user's other
                    // clicks is refused, as documented, for the frontend to retry: it changed nothing.
                    assertEquals("This user's likes of this item are changing too fast; retry shortly",
                            answer.body().path("detail").asText());
                    refused++;
                    continue;
                }
                boolean liked = answer.body().path("liked").asBoolean();
                assertEquals(liked ? 1 : 0, answer.likes(), "the only liker's answer agrees with itself: " + answer.body());
            }
            assertTrue(refused <= toggles.size() / 10, refused + " of " + toggles.size() + " toggles refused");
            assertEquals(database.likeRows(item), database.counter(item));
        }
    }

    @Test
    void racingLikesAndUnlikesLeaveEveryCountEqualToItsRows() {
        Clicks clicks = new Clicks(base);
        List<String> items = List.of(fresh("race"), fresh("race"), fresh("race"));
        Random random = new Random(42);
        List<Click> mix = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String item = items.get(random.nextInt(items.size()));
            String user = "racer-" + random.nextInt(40);
            mix.add(random.nextBoolean() ? Click.like(item, user) : Click.unlike(item, user));
        }

        List<Answer> answers = clicks.concurrently(CLIENTS, mix);

        assertTrue(answers.stream().allMatch(a -> a.status() == 200), "every click answered 200");
        assertTrue(answers.stream().allMatch(a -> a.likes() >= 0 && a.likes() <= 40), "no count out of 0..40");
        assertTrue(answers.stream().filter(a -> a.body().path("liked").asBoolean()).allMatch(a -> a.likes() >= 1),
                "a like answer always counts at least that like");
        for (String item : items) {
            assertEquals(database.likeRows(item), database.counter(item), "counter of " + item + " equals its rows");
        }
        assertEquals(Map.of(), database.drift(), "no item anywhere has a counter that differs from its rows");
    }

    @Test
    void windowCountsStayExactWhileMinutesLeaveThemMidRace() throws Exception {
        database.clear();
        clock.freezeAt(Instant.parse("2030-01-07T12:00:00Z"));
        List<String> items = List.of(fresh("trend"), fresh("trend"), fresh("trend"));
        Random random = new Random(7);
        List<Click> mix = new ArrayList<>();
        // Mostly likes among 200 users, so that window counts stay far above 0, where the clamp at 0
        // would hide a count moved twice.
        for (int i = 0; i < 6000; i++) {
            String item = items.get(random.nextInt(items.size()));
            String user = "racer-" + random.nextInt(200);
            mix.add(random.nextInt(5) < 3 ? Click.like(item, user) : Click.unlike(item, user));
        }
        AtomicBoolean racing = new AtomicBoolean(true);
        // Twenty minutes pass between passes of the aging job, so likes and unlikes land on minutes as
        // they leave the hour and the day; a second job, as on another replica, ages the same buckets.
        CompletableFuture<Integer> passes = CompletableFuture.supplyAsync(() -> {
            int n = 0;
            while (racing.get()) {
                clock.advance(Duration.ofMinutes(20));
                aging.age().await().indefinitely();
                n++;
            }
            return n;
        });
        CompletableFuture<Integer> otherReplica = CompletableFuture.supplyAsync(() -> {
            int n = 0;
            while (racing.get()) {
                aging.age().await().indefinitely();
                n++;
            }
            return n;
        });
        try {
            List<Answer> answers = new Clicks(base).concurrently(CLIENTS, mix);
            assertTrue(answers.stream().allMatch(a -> a.status() == 200), "every click answered 200");
            racing.set(false);
            int aged = passes.get(1, TimeUnit.MINUTES);
            otherReplica.get(1, TimeUnit.MINUTES);
            aging.age().await().indefinitely();

            assertTrue(aged >= 4, "the windows were aged " + aged + " times during the race");
            assertEquals(Map.of(), database.windowDrift(), "every window count equals its rows");
            assertEquals(Map.of(), database.drift());
        } finally {
            racing.set(false);
            clock.reset();
            database.clear();
        }
    }

    private static List<Click> nTimes(int n, Click click) {
        return IntStream.range(0, n).mapToObj(i -> click).toList();
    }

    private static Set<Long> counts(List<Answer> answers) {
        return answers.stream().map(Answer::likes).collect(Collectors.toCollection(TreeSet::new));
    }
}
