package dev.likes.counting;

import static dev.likes.support.TestIds.fresh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;

/** Changed counts are announced once per item and interval, however many writes changed them. */
@QuarkusTest
class CountAnnouncerTest {

    @Inject
    CountAnnouncer announcer;
    @Inject
    Pool pool;

    @Test
    void manyChangesOfOneItemWithinAnIntervalAreOneNotification() throws InterruptedException {
        String item = fresh("announced");
        List<String> heard = new CopyOnWriteArrayList<>();
        PgConnection listener = PgConnection.cast(pool.getConnection().await().indefinitely());
        try {
            listener.notificationHandler(notification -> heard.add(notification.getPayload()));
            listener.query("LISTEN like_counts").execute().await().indefinitely();
            for (int i = 0; i < 100; i++) {
                announcer.changed(Set.of(item, item + "-other"));
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!heard.contains(item) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(300);
            long times = heard.stream().filter(item::equals).count();
            // A hundred changes straddle at most one tick of the interval.
            assertTrue(times >= 1 && times <= 2, item + " announced " + times + " times");
            assertEquals(times, heard.stream().filter((item + "-other")::equals).count());
        } finally {
            listener.query("UNLISTEN like_counts").execute().await().indefinitely();
            listener.close().await().indefinitely();
        }
    }
}
