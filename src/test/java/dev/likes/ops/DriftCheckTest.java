package dev.likes.ops;

import static dev.likes.support.TestIds.fresh;
import static io.restassured.RestAssured.when;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.likes.support.Database;
import dev.likes.support.Metrics;
import io.quarkus.test.junit.QuarkusTest;

/** The scheduled drift check reports drift as a metric and repairs nothing. */
@QuarkusTest
class DriftCheckTest {

    @Inject
    DriftCheck driftCheck;

    @Inject
    Database database;

    @Test
    void driftIsReportedNotRepaired() throws InterruptedException {
        database.clear();
        String item = fresh("checked");
        when().put("/v1/items/{item}/likes/{user}", item, "alice").then().statusCode(200);
        database.update("UPDATE like_counts SET likes = 9 WHERE item_id = $1", item);

        driftCheck.check().await().indefinitely();

        awaitGauge(1);
        assertEquals(9L, database.counter(item), "the check changes nothing");

        when().post("/v1/admin/recount").then().statusCode(200);
        driftCheck.check().await().indefinitely();

        awaitGauge(0);
    }

    @Test
    void suspendedLikesAreHeldNotDriftUnlessTheyStillCount() throws InterruptedException {
        database.clear();
        String item = fresh("botted");
        when().put("/v1/items/{item}/likes/{user}", item, "bot").then().statusCode(200);
        when().put("/v1/items/{item}/likes/{user}", item, "human").then().statusCode(200);
        // Suspended, and its likes set aside as its job would (the test runs no job): held, not drift.
        database.update("INSERT INTO suspended_users (user_id) VALUES ('bot')");
        database.update("INSERT INTO suspended_likes (user_id, item_id, created_at) VALUES ('bot', 'elsewhere', now())");
        driftCheck.check().await().indefinitely();
        awaitGauge("likes_suspended_likes", 1);
        // The like the test left in place still counts: drift of its own kind, though the counter equals its rows.
        awaitGauge("likes_drift_suspended_likes", 1);
        awaitGauge("likes_drift_items", 0);

        database.update("DELETE FROM likes WHERE user_id = 'bot'");
        database.update("UPDATE like_counts SET likes = 1 WHERE item_id = $1", item);
        driftCheck.check().await().indefinitely();
        awaitGauge("likes_drift_suspended_likes", 0);
        database.clear();
    }

    private static void awaitGauge(double expected) throws InterruptedException {
        awaitGauge("likes_drift_items", expected);
    }

    private static void awaitGauge(String gauge, double expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Metrics.value(gauge, "") != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(expected, Metrics.value(gauge, ""), gauge);
    }
}
