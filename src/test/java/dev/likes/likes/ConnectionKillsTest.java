package dev.likes.likes;

import static dev.likes.support.TestIds.fresh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.likes.support.Clicks;
import dev.likes.support.Clicks.Answer;
import dev.likes.support.Clicks.Click;
import dev.likes.support.Database;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The database terminates the service's connections again and again while clients race likes
 * and unlikes (retrying after a 503 or a broken connection). Nothing acknowledged is lost, nothing
 * counts twice, and the service recovers by itself.
 */
@QuarkusTest
class ConnectionKillsTest {

    static final Duration PATIENCE = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URI base;

    @Inject
    Database database;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    @Test
    void acknowledgedLikesSurviveTerminatedConnections() throws Exception {
        Clicks clicks = new Clicks(base);
        List<String> items = List.of(fresh("killed"), fresh("killed"), fresh("killed"), fresh("killed"));
        List<Click> likes = new ArrayList<>();
        List<Click> unlikes = new ArrayList<>();
        Map<String, Integer> expected = new HashMap<>();
        for (String item : items) {
            for (int u = 0; u < 150; u++) {
                likes.add(Click.like(item, "user-" + u));
                if (u % 3 == 0) {
                    unlikes.add(Click.unlike(item, "user-" + u));
                }
            }
            expected.put(item, 100);
        }

        int kills = whileKillingConnections(() -> {
            List<Answer> liked = clicks.concurrently(64, likes, c -> clicks.sendUntilAnswered(c, PATIENCE));
            assertTrue(liked.stream().allMatch(a -> a.status() == 200 && a.body().path("liked").asBoolean()));
            List<Answer> unliked = clicks.concurrently(64, unlikes, c -> clicks.sendUntilAnswered(c, PATIENCE));
            assertTrue(unliked.stream().allMatch(a -> a.status() == 200 && !a.body().path("liked").asBoolean()));
        });

        assertTrue(kills >= 3, "connections were terminated " + kills + " times");
        for (String item : items) {
            assertEquals(expected.get(item), (int) database.likeRows(item), "every acknowledged like of " + item + " is there");
            assertEquals((long) expected.get(item), database.counter(item), "and counted once");
        }
        assertEquals(Map.of(), database.drift());
        System.out.printf("connection kills: %d terminations, longest outage a client saw: %d ms%n",
                kills, clicks.longestOutage().toMillis());
    }

    /** Runs the work while another thread terminates every connection to the database each 50 ms. */
    private int whileKillingConnections(ThrowingRunnable work) throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger kills = new AtomicInteger();
        Thread killer = new Thread(() -> {
            try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
                while (!done.get()) {
                    Thread.sleep(50);
                    try (ResultSet killed = connection.createStatement().executeQuery("""
                            SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
                            WHERE datname = current_database() AND pid <> pg_backend_pid()
                              AND backend_type = 'client backend'""")) {
                        killed.next();
                        if (killed.getInt(1) > 0) {
                            kills.incrementAndGet();
                        }
                    }
                }
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        killer.start();
        try {
            work.run();
        } finally {
            done.set(true);
            killer.join();
        }
        return kills.get();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
