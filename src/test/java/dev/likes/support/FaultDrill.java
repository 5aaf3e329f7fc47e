package dev.likes.support;

import static dev.likes.support.TestIds.fresh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import dev.likes.support.Clicks.Answer;
import dev.likes.support.Clicks.Click;

/**
 * Clients race likes and unlikes while a fault strikes again and again, retrying after a 503 or a
 * broken connection as a frontend would; afterwards every acknowledged change must be there,
 * counted once.
 */
public final class FaultDrill {

    static final Duration PATIENCE = Duration.ofSeconds(60);
    /**
     * The likes set out over this long at least, so that the faults (whose first strikes 300 ms in)
     * land while clicks are under way however fast the service answers them: unpaced, 600 likes
     * could all be answered before the first strike.
     */
    static final Duration LIKES_SPREAD = Duration.ofSeconds(2);
    static final int USERS = 150;
    static final int STILL_LIKING = 100;

    private FaultDrill() {
    }

    /**
     * 600 likes (spread over {@link #LIKES_SPREAD}) then 200 unlikes over four items from 64 clients,
     * while {@code fault} runs again and again on another thread; then every acknowledged change must
     * be there, counted once.
     */
    public static Clicks likesAndUnlikesWhile(URI base, Database database, Fault fault) throws Exception {
        Clicks clicks = new Clicks(base);
        List<String> items = List.of(fresh("fault"), fresh("fault"), fresh("fault"), fresh("fault"));
        List<Click> likes = new ArrayList<>();
        List<Click> unlikes = new ArrayList<>();
        for (String item : items) {
            for (int u = 0; u < USERS; u++) {
                likes.add(Click.like(item, "user-" + u));
                if (u % 3 == 0) {
                    unlikes.add(Click.unlike(item, "user-" + u));
                }
            }
        }

        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Exception> broken = new AtomicReference<>();
        Thread faults = new Thread(() -> {
            try {
                while (!done.get()) {
                    fault.strike();
                }
            } catch (Exception e) {
                broken.set(e);
            }
        });
        faults.start();
        try {
            List<Answer> liked = clicks.concurrently(64, likes, paced(clicks, likes.size()));
            assertTrue(liked.stream().allMatch(a -> a.status() == 200 && a.body().path("liked").asBoolean()));
            List<Answer> unliked = clicks.concurrently(64, unlikes, c -> clicks.sendUntilAnswered(c, PATIENCE));
            assertTrue(unliked.stream().allMatch(a -> a.status() == 200 && !a.body().path("liked").asBoolean()));
        } finally {
            done.set(true);
            faults.join();
        }
        if (broken.get() != null) {
            throw new IllegalStateException("the fault itself failed", broken.get());
        }
        assertTrue(clicks.longestOutage().toMillis() > 0, "the fault struck while clicks were under way");

        for (String item : items) {
            assertEquals(STILL_LIKING, database.likeRows(item), "every acknowledged like and unlike of " + item + " holds");
            assertEquals(Long.valueOf(STILL_LIKING), database.counter(item), "and is counted once");
        }
        assertEquals(Map.of(), database.drift());
        return clicks;
    }

    /** Sends each click until answered, the n-th of {@code total} not before n / total of {@link #LIKES_SPREAD}. */
    private static Function<Click, Answer> paced(Clicks clicks, int total) {
        long start = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        return click -> {
            long due = start + LIKES_SPREAD.toNanos() * next.getAndIncrement() / total;
            Clicks.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
            return clicks.sendUntilAnswered(click, PATIENCE);
        };
    }

    public interface Fault {
        void strike() throws Exception;
    }
}
