package dev.likes.likers;

import static dev.likes.support.TestIds.fresh;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.likes.api.TimeCursor;
import dev.likes.support.Database;
import dev.likes.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Who liked an item: newest first, ties by user id, keyset-paged, one range scan of its index. */
@QuarkusTest
class LikersTest {

    @Inject
    Database database;
    @Inject
    TestClock clock;

    @AfterEach
    void systemClock() {
        clock.reset();
    }

    @Test
    void pagesWalkEveryLikerNewestFirstOnce() {
        String item = fresh("liked");
        Instant t0 = Instant.parse("2030-02-01T10:00:00Z");
        List<String> expected = new ArrayList<>();
        // 25 likes at 13 moments: ties at each moment are ordered by user id.
        for (int i = 0; i < 25; i++) {
            clock.freezeAt(t0.plus(Duration.ofSeconds(i / 2)));
            given().put("/v1/items/{item}/likes/{user}", item, "user-" + (char) ('a' + i)).then().statusCode(200);
        }
        for (int moment = 12; moment >= 0; moment--) {
            for (int i = 0; i < 25; i++) {
                if (i / 2 == moment) {
                    expected.add("user-" + (char) ('a' + i));
                }
            }
        }
        List<String> walked = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            var request = given().queryParam("limit", 10);
            if (after != null) {
                request.queryParam("after", after);
            }
            JsonPath page = request.get("/v1/items/{item}/likes", item).then().statusCode(200)
                    .body("itemId", equalTo(item)).extract().jsonPath();
            walked.addAll(page.getList("users.userId"));
            after = page.getString("next");
            pages++;
        } while (after != null);
        assertEquals(expected, walked);
        assertEquals(3, pages);
    }

    @Test
    void aPageIsOneRangeScanOfTheItemsIndex() {
        database.seed("""
                INSERT INTO likes (item_id, user_id, created_at)
                SELECT 'plan-' || (i % 200), 'u' || i, now() - i * interval '1 second' FROM generate_series(1, 20000) i
                ON CONFLICT DO NOTHING
                """);
        try {
            database.update("ANALYZE likes");
            String plan = database.explain(LikersStore.PAGE, "plan-7", TimeCursor.END_OF_TIME, "", 21);
            assertTrue(plan.contains("likes_by_item"), plan);
            assertFalse(plan.contains("Sort"), plan);
            assertFalse(plan.contains("Seq Scan on likes"), plan);
        } finally {
            // Rows without counters: gone before any drift check sees them.
            database.update("DELETE FROM likes WHERE item_id LIKE 'plan-%'");
        }
    }

    @Test
    void aBadCursorOrLimitIsTheClientsMistake() {
        given().get("/v1/items/{item}/likes?after=bad", fresh("item")).then().statusCode(400)
                .contentType("application/problem+json");
        given().get("/v1/items/{item}/likes?limit=101", fresh("item")).then().statusCode(400);
        given().get("/v1/items/{item}/likes", fresh("never")).then().statusCode(200).body("next", nullValue());
    }
}
