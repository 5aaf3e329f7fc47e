package dev.likes.users;

import static dev.likes.support.TestIds.fresh;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.likes.support.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** A user's likes: newest first, ties by itemId, keyset-paged, each like once. */
@QuarkusTest
class UserLikesResourceTest {

    static final OffsetDateTime NOON = OffsetDateTime.of(2026, 11, 1, 12, 0, 0, 0, ZoneOffset.UTC);

    @Inject
    Database database;

    @Test
    void newestFirstTiesByItemIdEveryLikeOnceAcrossPages() {
        String user = fresh("reader");
        // Liked at: c 12:00:03, a and b both 12:00:02 (a tie), e 12:00:01.500001, d 12:00:01.5.
        likeAt(user, "c", NOON.plusSeconds(3));
        likeAt(user, "b", NOON.plusSeconds(2));
        likeAt(user, "a", NOON.plusSeconds(2));
        likeAt(user, "e", NOON.plusNanos(1_500_001_000));
        likeAt(user, "d", NOON.plusNanos(1_500_000_000));

        assertEquals(List.of("c", "a", "b", "e", "d"), walk(user, 2));
        assertEquals(List.of("c", "a", "b", "e", "d"), walk(user, 1));
        assertEquals(List.of("c", "a", "b", "e", "d"), walk(user, 100));
    }

    @Test
    void anUnlikedItemLeavesTheList() {
        String user = fresh("fickle");
        when().put("/v1/items/{item}/likes/{user}", "kept", user).then().statusCode(200);
        when().put("/v1/items/{item}/likes/{user}", "dropped", user).then().statusCode(200);
        when().delete("/v1/items/{item}/likes/{user}", "dropped", user).then().statusCode(200);

        when().get("/v1/users/{user}/likes", user).then().statusCode(200)
                .body("userId", equalTo(user))
                .body("items", hasSize(1))
                .body("items[0].itemId", equalTo("kept"))
                .body("items[0].likedAt", containsString("T"))
                .body("next", nullValue());
    }

    @Test
    void aUserWithoutLikesHasAnEmptyList() {
        when().get("/v1/users/{user}/likes", fresh("nobody")).then().statusCode(200)
                .body("items", hasSize(0)).body("next", nullValue());
    }

    @Test
    void badInputIsA400() {
        given().queryParam("limit", "0").get("/v1/users/u/likes").then().statusCode(400).contentType("application/problem+json");
        given().queryParam("limit", "101").get("/v1/users/u/likes").then().statusCode(400);
        given().queryParam("after", "bm9wZQ").get("/v1/users/u/likes").then().statusCode(400)
                .body("detail", containsString("after"));
        given().get("/v1/users/{user}/likes", "a b").then().statusCode(400);
    }

    @Test
    void pagesSeekTheUserIndex() {
        database.seed("""
                WITH rows AS (INSERT INTO likes (item_id, user_id)
                              SELECT 'feed-' || n, 'fan-' || n % 200 FROM generate_series(1, 20000) n)
                INSERT INTO like_counts (item_id, likes) SELECT 'feed-' || n, 1 FROM generate_series(1, 20000) n
                """);
        database.update("ANALYZE likes");

        String plan = database.explain(UserLikesStore.PAGE, "fan-7", NOON, "feed-7", 21);
        assertTrue(plan.contains("Scan using likes_by_user"), plan);
        assertTrue(plan.contains("Index Cond"), plan);
        assertFalse(plan.contains("Sort"), plan);
        assertFalse(plan.contains("Seq Scan"), plan);
    }

    private void likeAt(String user, String item, OffsetDateTime at) {
        when().put("/v1/items/{item}/likes/{user}", item, user).then().statusCode(200);
        database.update("UPDATE likes SET created_at = $3 WHERE item_id = $1 AND user_id = $2", item, user, at);
    }

    private static List<String> walk(String user, int limit) {
        List<String> items = new ArrayList<>();
        String after = null;
        do {
            RequestSpecification request = given().queryParam("limit", limit);
            if (after != null) {
                request.queryParam("after", after);
            }
            JsonPath page = request.get("/v1/users/{user}/likes", user).then().statusCode(200).extract().jsonPath();
            items.addAll(page.getList("items.itemId"));
            after = page.getString("next");
        } while (after != null);
        return items;
    }
}
