package dev.likes.likes;

import static dev.likes.support.TestIds.fresh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
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
 * The database fails under load: it terminates the service's connections again and again. Clients race likes and unlikes and retry after a 503 or a broken connection, as a
 * frontend would. Nothing acknowledged is lost, nothing counts twice, and the service recovers
 * by itself.
 */
@QuarkusTest
class DatabaseFaultsTest {

    static final Duration PATIENCE = Duration.ofSeconds(30);
    static final int USERS = 150;
    static final int STILL_LIKING = 100;

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
        AtomicInteger kills = new AtomicInteger();
        Clicks clicks = likesAndUnlikesWhile(() -> {
            try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
                    ResultSet killed = connection.createStatement().executeQuery("""
                            SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
                            WHERE datname = current_database() AND pid <> pg_backend_pid()
                              AND backend_type = 'client backend'""")) {
                killed.next();
                kills.addAndGet(killed.getInt(1) > 0 ? 1 : 0);
            }
            Thread.sleep(50);
        });
        assertTrue(kills.get() >= 3, "connections were terminated " + kills + " times");
        System.out.printf("connection kills: %d, longest outage a client saw: %d ms%n", kills.get(),
                clicks.longestOutage().toMillis());
    }

    /**
     * 600 likes then 200 unlikes over four items from 64 clients, while {@code fault} runs again and
     * again on another thread; then every acknowledged change must be there, counted once.
     */
    private Clicks likesAndUnlikesWhile(Fault fault) throws Exception {
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
        Thread faults = new Thread(() -> {
            try {
                while (!done.get()) {
                    fault.strike();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        faults.start();
        try {
            List<Answer> liked = clicks.concurrently(64, likes, c -> clicks.sendUntilAnswered(c, PATIENCE));
            assertTrue(liked.stream().allMatch(a -> a.status() == 200 && a.body().path("liked").asBoolean()));
            List<Answer> unliked = clicks.concurrently(64, unlikes, c -> clicks.sendUntilAnswered(c, PATIENCE));
            assertTrue(unliked.stream().allMatch(a -> a.status() == 200 && !a.body().path("liked").asBoolean()));
        } finally {
            done.set(true);
            faults.join();
        }

        for (String item : items) {
            assertEquals(STILL_LIKING, database.likeRows(item), "every acknowledged like and unlike of " + item + " holds");
            assertEquals(Long.valueOf(STILL_LIKING), database.counter(item), "and is counted once");
        }
        assertEquals(Map.of(), database.drift());
        return clicks;
    }

    interface Fault {
        void strike() throws Exception;
    }
}
