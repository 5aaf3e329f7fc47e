package dev.likes.ranking;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.likes.support.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class RankingResourceTest {

    @Inject
    Database database;

    @BeforeEach
    @AfterEach
    void startEmpty() {
        database.clear();
    }

    @Test
    void mostLikedFirstTiesByItemIdInCodePointOrder() {
        likes("a", 3);
        likes("B", 3); // "B" sorts before "a" in code-point order, whatever the server's locale
        likes("c", 1);
        likes("d", 2);
        likes("gone", 1);
        when().delete("/v1/items/gone/likes/user-0").then().statusCode(200);

        when().get("/v1/rankings")
                .then().statusCode(200).contentType("application/json")
                .body("items.itemId", contains("B", "a", "d", "c"))
                .body("items.likes", contains(3, 3, 2, 1))
                .body("items.rank", contains(1, 2, 3, 4))
                .body("next", nullValue());
    }

    @Test
    void anEmptyRanking() {
        when().get("/v1/rankings").then().statusCode(200).body("items", empty()).body("next", nullValue());
    }

    @Test
    void tenItemsByDefault() {
        for (int i = 0; i < 12; i++) {
            likes(String.format("item-%02d", i), 1);
        }
        when().get("/v1/rankings").then().statusCode(200)
                .body("items.size()", equalTo(10))
                .body("next", notNullValue());
    }

    @Test
    void aCursorWalkVisitsEveryItemOnceInOrderDespiteTies() {
        List<Map.Entry<String, Integer>> expected = new ArrayList<>();
        for (int i = 0; i < 57; i++) {
            String id = (i % 2 == 0 ? "Item-" : "item-") + (i * 7919 % 101);
            int likes = 1 + i % 3;
            seedLikes(id, likes);
            expected.add(Map.entry(id, likes));
        }
        expected.sort(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue).reversed()
                .thenComparing(Map.Entry::getKey));

        List<String> walked = new ArrayList<>();
        List<Integer> ranks = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            var request = given().queryParam("limit", 5);
            if (after != null) {
                request.queryParam("after", after);
            }
            JsonPath page = request.get("/v1/rankings").then().statusCode(200).extract().jsonPath();
            walked.addAll(page.getList("items.itemId"));
            ranks.addAll(page.getList("items.rank"));
            after = page.getString("next");
            pages++;
        } while (after != null);

        assertEquals(expected.stream().map(Map.Entry::getKey).toList(), walked);
        assertEquals(java.util.stream.IntStream.rangeClosed(1, 57).boxed().toList(), ranks);
        assertEquals(12, pages, "57 items in pages of 5");
    }

    @Test
    void theLastFullPageHasNoNext() {
        for (int i = 0; i < 10; i++) {
            likes("item-" + i, 1);
        }
        String next = given().queryParam("limit", 5).get("/v1/rankings").then().extract().path("next");
        given().queryParam("limit", 5).queryParam("after", next).get("/v1/rankings")
                .then().statusCode(200)
                .body("items.size()", equalTo(5))
                .body("items[0].rank", equalTo(6))
                .body("next", nullValue());
    }

    @Test
    void aHundredPerPageAtMost() {
        given().queryParam("limit", 100).get("/v1/rankings").then().statusCode(200);
    }

    @ParameterizedTest
    @EnumSource(RankingWindow.class)
    void pagesSeekThroughTheirWindowsRankingIndexWithoutScanning(RankingWindow window) {
        database.seed("""
                WITH items AS (SELECT 'seed-' || n AS item_id, 1 + n % 50 AS likes FROM generate_series(1, 20000) n),
                     rows AS (INSERT INTO likes (item_id, user_id)
                              SELECT item_id, 'u' || u FROM items, generate_series(1, likes) u)
                INSERT INTO like_counts (item_id, likes, likes_hour, likes_day, likes_week, hot)
                SELECT item_id, likes, likes / 10, likes / 3, likes / 2, likes / 7.0 FROM items
                """);
        database.update("ANALYZE like_counts");


        Object key = window == RankingWindow.HOT ? (Object) (-25.0) : (Object) (-25L);
        String index = window == RankingWindow.ALL ? "like_counts_ranking " : "like_counts_ranking_" + window.label() + " ";
        String plan = database.explain(RankingStore.PAGES.get(window), key, "seed-100", 11);
        assertTrue(plan.contains("Index Scan using " + index), plan);
        assertTrue(plan.contains("Index Cond"), plan);
        assertFalse(plan.contains("Seq Scan on like_counts"), plan);
        // The windows' outer sort orders at most one page; the all-time and hot pages need none.
        assertEquals(window != RankingWindow.ALL && window != RankingWindow.HOT, plan.contains("Sort"), plan);
    }

    /** Likes through the API, by distinct users. */
    private static void likes(String item, int count) {
        for (int i = 0; i < count; i++) {
            when().put("/v1/items/{item}/likes/{user}", item, "user-" + i).then().statusCode(200);
        }
    }

    /** Likes straight into the tables, consistently: rows and their count. */
    private void seedLikes(String item, int count) {
        database.update("INSERT INTO likes (item_id, user_id) SELECT $1, 'u' || n FROM generate_series(1, $2) n",
                item, count);
        database.update("INSERT INTO like_counts (item_id, likes) VALUES ($1, $2)", item, (long) count);
    }
}
