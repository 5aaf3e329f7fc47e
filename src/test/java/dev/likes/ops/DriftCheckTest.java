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

    private static void awaitGauge(double expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Metrics.value("likes_drift_items", "") != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(expected, Metrics.value("likes_drift_items", ""));
    }
}
