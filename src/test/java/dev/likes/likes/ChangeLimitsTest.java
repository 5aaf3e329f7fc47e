package dev.likes.likes;

import static dev.likes.support.TestIds.fresh;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.likes.support.Database;
import dev.likes.support.SecuredProfile;
import dev.likes.support.TestClock;
import dev.likes.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/**
 * Toggle storms: a user changes their like on one item at most 3 times a minute and makes at most 5
 * changes a minute in all (the profile's limits); beyond, 429 with Retry-After and nothing changes.
 */
@QuarkusTest
@TestProfile(SecuredProfile.class)
class ChangeLimitsTest {

    @Inject
    Database database;
    @Inject
    TestClock clock;

    String user;

    @BeforeEach
    void aFreshUserAtAFixedTime() {
        user = fresh("toggler");
        clock.freezeAt(Instant.parse("2030-01-07T12:00:00Z"));
    }

    @AfterEach
    void backToTheSystemClock() {
        clock.reset();
    }

    @Test
    void aToggleStormOnOneItemStopsAfterTheLimitAndTheCountStays() {
        String item = fresh("item");
        like(item).statusCode(200).body("changed", equalTo(true));
        unlike(item).statusCode(200).body("changed", equalTo(true));
        clock.advance(Duration.ofSeconds(20));
        like(item).statusCode(200).body("changed", equalTo(true));

        String retryAfter = unlike(item).statusCode(429).contentType("application/problem+json")
                .body("detail", containsString("Too many like changes"))
                .extract().header("Retry-After");
        assertEquals("40", retryAfter, "the first change leaves the minute in 40 s");
        assertEquals(1, database.likeRows(item));
        assertEquals(1L, database.counter(item));

        clock.advance(Duration.ofSeconds(40));
        unlike(item).statusCode(200).body("changed", equalTo(true)).body("likes", equalTo(0));
    }

    @Test
    void repeatingTheCurrentStateIsNotAChangeAndIsNeverLimited() {
        String item = fresh("item");
        like(item).statusCode(200);
        unlike(item).statusCode(200);
        like(item).statusCode(200);
        unlike(item).statusCode(429);
        for (int i = 0; i < 10; i++) {
            like(item).statusCode(200).body("changed", equalTo(false)).body("likes", equalTo(1));
        }
        clock.advance(Duration.ofSeconds(61));
        for (int i = 0; i < 10; i++) {
            like(item).statusCode(200).body("changed", equalTo(false));
        }
        unlike(item).statusCode(200).body("changed", equalTo(true)); // the repeats took nothing from the budget
        like(item).statusCode(200).body("changed", equalTo(true));
    }

    @Test
    void aUserMakesAtMostFiveChangesAMinuteInAll() {
        for (int i = 0; i < SecuredProfile.CHANGES_PER_USER; i++) {
            like(fresh("item")).statusCode(200).body("changed", equalTo(true));
        }
        String sixth = fresh("item");
        like(sixth).statusCode(429).header("Retry-After", "60");
        assertEquals(0, database.likeRows(sixth));
        given().header("Authorization", "Bearer " + Tokens.of("someone-else"))
                .put("/v1/items/{item}/likes/{user}", sixth, "someone-else").then().statusCode(200);

        clock.advance(Duration.ofMinutes(1));
        like(sixth).statusCode(200).body("changed", equalTo(true));
    }

    @Test
    void aConcurrentToggleStormMakesAtMostThreeChangesAndEndsWhereTheyLeftIt() throws Exception {
        String item = fresh("item");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<ExtractableResponse<Response>>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                boolean like = i % 2 == 0;
                answers.add(pool.submit(() -> (like ? like(item) : unlike(item)).extract()));
            }
            int changes = 0;
            boolean liked = false;
            for (Future<ExtractableResponse<Response>> answer : answers) {
                ExtractableResponse<Response> response = answer.get();
                assertTrue(response.statusCode() == 200 || response.statusCode() == 429, "status " + response.statusCode());
                if (response.statusCode() == 200 && response.jsonPath().getBoolean("changed")) {
                    changes++;
                    liked = !liked;
                }
            }
            assertTrue(changes >= 1 && changes <= SecuredProfile.CHANGES_PER_ITEM, changes + " changes went through");
            assertEquals(liked ? 1 : 0, database.likeRows(item), "the changes that went through decide the state");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(database.likeRows(item), database.counter(item) == null ? 0 : database.counter(item));
    }

    private ValidatableResponse like(String item) {
        return given().header("Authorization", "Bearer " + Tokens.of(user))
                .put("/v1/items/{item}/likes/{user}", item, user).then();
    }

    private ValidatableResponse unlike(String item) {
        return given().header("Authorization", "Bearer " + Tokens.of(user))
                .delete("/v1/items/{item}/likes/{user}", item, user).then();
    }
}
