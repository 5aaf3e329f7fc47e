package dev.likes.likes;

import static dev.likes.support.TestIds.fresh;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.likes.support.Database;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class LikeResourceTest {

    @Inject
    Database database;

    @Test
    void aFirstLikeChangesAndCounts() {
        String item = fresh("item");
        when().put("/v1/items/{item}/likes/{user}", item, "alice")
                .then().statusCode(200).contentType("application/json")
                .body("itemId", equalTo(item))
                .body("userId", equalTo("alice"))
                .body("liked", equalTo(true))
                .body("changed", equalTo(true))
                .body("likes", equalTo(1));
    }

    @Test
    void aRepeatedLikeChangesNothingAndAnswersTheCurrentCount() {
        String item = fresh("item");
        when().put("/v1/items/{item}/likes/{user}", item, "alice").then().statusCode(200);
        when().put("/v1/items/{item}/likes/{user}", item, "bob").then().statusCode(200);

        when().put("/v1/items/{item}/likes/{user}", item, "alice")
                .then().statusCode(200)
                .body("liked", equalTo(true))
                .body("changed", equalTo(false))
                .body("likes", equalTo(2));
        assertEquals(2, database.likeRows(item));
        assertEquals(2L, database.counter(item));
    }

    @Test
    void anUnlikeRemovesTheLikeAndCounts() {
        String item = fresh("item");
        when().put("/v1/items/{item}/likes/{user}", item, "alice").then().statusCode(200);
        when().put("/v1/items/{item}/likes/{user}", item, "bob").then().statusCode(200);

        when().delete("/v1/items/{item}/likes/{user}", item, "alice")
                .then().statusCode(200).contentType("application/json")
                .body("itemId", equalTo(item))
                .body("userId", equalTo("alice"))
                .body("liked", equalTo(false))
                .body("changed", equalTo(true))
                .body("likes", equalTo(1));
        assertEquals(1, database.likeRows(item));
    }

    @Test
    void unlikingWhatIsNotLikedChangesNothing() {
        String item = fresh("item");
        when().delete("/v1/items/{item}/likes/{user}", item, "alice")
                .then().statusCode(200)
                .body("liked", equalTo(false))
                .body("changed", equalTo(false))
                .body("likes", equalTo(0));

        when().put("/v1/items/{item}/likes/{user}", item, "bob").then().statusCode(200);
        when().delete("/v1/items/{item}/likes/{user}", item, "alice")
                .then().statusCode(200)
                .body("changed", equalTo(false))
                .body("likes", equalTo(1));
    }

    @Test
    void theCountNeverGoesBelowZero() {
        String item = fresh("item");
        when().put("/v1/items/{item}/likes/{user}", item, "alice").then().statusCode(200);
        when().delete("/v1/items/{item}/likes/{user}", item, "alice").then().body("likes", equalTo(0));
        when().delete("/v1/items/{item}/likes/{user}", item, "alice").then().body("likes", equalTo(0));
        assertEquals(0L, database.counter(item));
    }

    @Test
    void aUserCanLikeAgainAfterUnliking() {
        String item = fresh("item");
        when().put("/v1/items/{item}/likes/{user}", item, "alice").then().body("changed", equalTo(true));
        when().delete("/v1/items/{item}/likes/{user}", item, "alice").then().body("changed", equalTo(true));
        when().put("/v1/items/{item}/likes/{user}", item, "alice")
                .then().body("changed", equalTo(true)).body("likes", equalTo(1));
    }

    @Test
    void theLikeStateOfOneUser() {
        String item = fresh("item");
        when().put("/v1/items/{item}/likes/{user}", item, "alice").then().statusCode(200);

        when().get("/v1/items/{item}/likes/{user}", item, "alice")
                .then().statusCode(200).contentType("application/json")
                .body("itemId", equalTo(item))
                .body("userId", equalTo("alice"))
                .body("liked", equalTo(true));
        when().get("/v1/items/{item}/likes/{user}", item, "bob")
                .then().statusCode(200).body("liked", equalTo(false));
    }

    @Test
    void anItemNeverLikedHasZeroLikes() {
        String item = fresh("never");
        when().get("/v1/items/{item}", item)
                .then().statusCode(200).contentType("application/json")
                .body("itemId", equalTo(item))
                .body("likes", equalTo(0))
                .body("$", not(hasKey("liked")));
        assertEquals(null, database.counter(item), "reading creates no counter row");
    }

    @Test
    void anItemsCount() {
        String item = fresh("item");
        for (String user : new String[] {"a", "b", "c"}) {
            when().put("/v1/items/{item}/likes/{user}", item, user).then().statusCode(200);
        }
        when().get("/v1/items/{item}", item).then().statusCode(200).body("likes", equalTo(3));
    }

    @Test
    void idsMayUseEveryAllowedCharacter() {
        String item = "A-Za_z.0~9:" + fresh("x");
        String user = "u:1.2_3~4-5";
        when().put("/v1/items/{item}/likes/{user}", item, user)
                .then().statusCode(200).body("itemId", equalTo(item)).body("userId", equalTo(user));
        when().get("/v1/items/{item}/likes/{user}", item, user).then().body("liked", equalTo(true));
        String longest = "i".repeat(64);
        when().put("/v1/items/{item}/likes/{user}", longest, "u".repeat(64)).then().statusCode(200);
    }

    @Test
    void countsOfSeveralItemsInTheOrderAsked() {
        String first = fresh("a");
        String second = fresh("b");
        String never = fresh("c");
        when().put("/v1/items/{item}/likes/{user}", first, "alice").then().statusCode(200);
        when().put("/v1/items/{item}/likes/{user}", second, "alice").then().statusCode(200);
        when().put("/v1/items/{item}/likes/{user}", second, "bob").then().statusCode(200);

        given().queryParam("ids", String.join(",", second, never, first))
                .when().get("/v1/items")
                .then().statusCode(200).contentType("application/json")
                .body("items.itemId", contains(second, never, first))
                .body("items.likes", contains(2, 0, 1))
                .body("items[0]", not(hasKey("liked")));
    }

    @Test
    void countsWithAUsersLikes() {
        String first = fresh("a");
        String second = fresh("b");
        when().put("/v1/items/{item}/likes/{user}", first, "alice").then().statusCode(200);
        when().put("/v1/items/{item}/likes/{user}", second, "bob").then().statusCode(200);

        given().queryParam("ids", first + "," + second).queryParam("userId", "alice")
                .when().get("/v1/items")
                .then().statusCode(200)
                .body("items.itemId", contains(first, second))
                .body("items.liked", contains(true, false));
    }

    @Test
    void countsKeepRepeatsAndAcceptARepeatedParameter() {
        String item = fresh("a");
        String other = fresh("b");
        when().put("/v1/items/{item}/likes/{user}", item, "alice").then().statusCode(200);

        given().queryParam("ids", item + "," + other).queryParam("ids", item)
                .when().get("/v1/items")
                .then().statusCode(200)
                .body("items.itemId", contains(item, other, item))
                .body("items.likes", contains(1, 0, 1));
    }

    @Test
    void aBatchOfTheLargestSizeAndLongestIdsIsAccepted() {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < LikeService.MAX_BATCH; i++) {
            String id = String.format("%03d", i) + "x".repeat(61);
            ids.append(i == 0 ? "" : ",").append(id);
        }
        given().queryParam("ids", ids.toString()).queryParam("userId", "u".repeat(64))
                .when().get("/v1/items")
                .then().statusCode(200)
                .body("items.size()", equalTo(LikeService.MAX_BATCH));
    }
}
