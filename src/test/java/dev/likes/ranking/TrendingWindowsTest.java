package dev.likes.ranking;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.likes.ha.LeaderJobs;
import dev.likes.support.Database;
import dev.likes.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Trending windows count the likes created at or after their since (a whole minute, the window's
 * span before the current minute) that still stand. Likes are dated by a clock the tests move.
 */
@QuarkusTest
class TrendingWindowsTest {

    /** Half past a minute, so that "60 minutes later" is still inside the minute the hour reaches back to. */
    static final Instant T0 = Instant.parse("2030-01-07T12:00:30Z");

    @Inject
    Database database;
    @Inject
    TestClock clock;
    @Inject
    WindowAging aging;
    @Inject
    WindowStore windows;
    @Inject
    LeaderJobs jobs;

    @BeforeEach
    void startEmptyAtT0() {
        database.clear();
        clock.freezeAt(T0);
    }

    @AfterEach
    void backToTheSystemClock() {
        assertEquals(Map.of(), database.windowDrift(), "window counts and buckets equal their like rows");
        assertEquals(Map.of(), database.drift());
        database.clear();
        clock.reset();
    }

    @Test
    void aLikeCountsInEachWindowUntilItsMinuteLeavesIt() {
        like("post-1", "ann");
        at(T0);
        assertWindows("post-1", 1, 1, 1, 1);

        at(T0.plus(Duration.ofMinutes(60))); // 13:00:30: the hour reaches back to 12:00
        assertWindows("post-1", 1, 1, 1, 1);
        at(Instant.parse("2030-01-07T13:01:00Z")); // the hour now starts at 12:01
        assertWindows("post-1", 0, 1, 1, 1);
        at(Instant.parse("2030-01-08T12:00:59Z"));
        assertWindows("post-1", 0, 1, 1, 1);
        at(Instant.parse("2030-01-08T12:01:00Z"));
        assertWindows("post-1", 0, 0, 1, 1);
        at(Instant.parse("2030-01-14T12:01:00Z"));
        assertWindows("post-1", 0, 0, 0, 1);

        assertEquals(0, buckets(), "a minute that has left the week is pruned");
        assertEquals(1, database.likeRows("post-1"), "the like itself stays");
    }

    @Test
    void eachWindowSaysWhichMinuteItCountsFrom() {
        at(T0);
        window("hour").body("window", equalTo("hour")).body("since", equalTo("2030-01-07T11:00:00Z"));
        window("day").body("since", equalTo("2030-01-06T12:00:00Z"));
        window("week").body("since", equalTo("2029-12-31T12:00:00Z"));
        window("all").body("window", equalTo("all")).body("since", nullValue());
        when().get("/v1/rankings").then().statusCode(200).body("window", equalTo("all")).body("since", nullValue());
    }

    @Test
    void anUnlikeInsideTheWindowTakesTheLikeOutOfIt() {
        like("post-1", "ann");
        like("post-1", "bob");
        at(T0.plus(Duration.ofMinutes(10)));
        unlike("post-1", "ann");

        assertWindows("post-1", 1, 1, 1, 1);
        unlike("post-1", "bob");
        for (String window : List.of("hour", "day", "week", "all")) {
            window(window).body("items", empty());
        }
    }

    @Test
    void anUnlikeOfALikeOlderThanTheWindowLeavesTheWindowAlone() {
        like("post-1", "ann");
        at(T0.plus(Duration.ofMinutes(90)));
        like("post-1", "bob");
        assertWindows("post-1", 1, 2, 2, 2);

        unlike("post-1", "ann"); // liked 90 minutes ago: out of the hour, inside the day
        assertWindows("post-1", 1, 1, 1, 1);

        at(T0.plus(Duration.ofDays(8)));
        unlike("post-1", "bob"); // its minute has left every window and its bucket is gone
        assertWindows("post-1", 0, 0, 0, 0);
    }

    @Test
    void aLikeLandingOnAMinuteThatJustLeftTheHourCountsOnlyInTheLongerWindows() {
        like("post-1", "ann");
        Instant nextMinute = Instant.parse("2030-01-07T12:01:00Z");
        // What a replica whose clock runs a minute ahead would do: age the hour past the current minute.
        windows.step(jobs.client(), RankingWindow.HOUR, nextMinute, 10).await().indefinitely();
        windows.mark(jobs.client(), RankingWindow.HOUR, nextMinute).await().indefinitely();
        assertWindows("post-1", 0, 1, 1, 1);

        like("post-1", "bob"); // dated 12:00:30, into the bucket the hour no longer counts
        assertWindows("post-1", 0, 2, 2, 2);
        unlike("post-1", "ann");
        assertWindows("post-1", 0, 1, 1, 1);
    }

    @Test
    void windowsRankByTheLikesTheyCountTiesByItemId() {
        likes("old-favourite", 5); // at 12:00
        at(T0.plus(Duration.ofMinutes(61))); // 13:01:30: 12:00 has left the hour
        likes("b", 2);
        likes("a", 2);
        likes("c", 3);
        at(T0.plus(Duration.ofMinutes(61)));

        window("hour").body("items.itemId", contains("c", "a", "b")).body("items.likes", contains(3, 2, 2))
                .body("items.rank", contains(1, 2, 3));
        window("day").body("items.itemId", contains("old-favourite", "c", "a", "b"));
        window("all").body("items.itemId", contains("old-favourite", "c", "a", "b"));
    }

    @Test
    void aCursorWalkOfAWindowVisitsEachItemOfItOnce() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            likes("fresh-" + i, 1 + i % 3); // ties at every count
        }
        for (int count = 3; count >= 1; count--) {
            for (int i = 0; i < 9; i++) {
                if (1 + i % 3 == count) {
                    expected.add("fresh-" + i);
                }
            }
        }
        at(T0.plus(Duration.ofMinutes(30)));
        likes("other", 1); // a later minute, same window: ranked by its count, then its id
        expected.add("other");

        List<String> walked = new ArrayList<>();
        String after = null;
        do {
            var request = given().queryParam("window", "hour").queryParam("limit", 2);
            if (after != null) {
                request.queryParam("after", after);
            }
            JsonPath page = request.get("/v1/rankings").then().statusCode(200).extract().jsonPath();
            walked.addAll(page.getList("items.itemId"));
            after = page.getString("next");
        } while (after != null);
        assertEquals(expected, walked);
    }

    @Test
    void aCursorOfOneWindowIsRefusedByAnother() {
        likes("a", 1);
        likes("b", 1);
        String next = window("hour", 1).extract().path("next");
        given().queryParam("window", "day").queryParam("limit", 1).queryParam("after", next)
                .get("/v1/rankings").then().statusCode(400).contentType("application/problem+json");
        given().queryParam("limit", 1).queryParam("after", next)
                .get("/v1/rankings").then().statusCode(400);
        given().queryParam("window", "hour").queryParam("limit", 1).queryParam("after", next)
                .get("/v1/rankings").then().statusCode(200).body("items.itemId", contains("b"));
    }

    @Test
    void anUnknownWindowIsABadRequest() {
        for (String window : List.of("month", "HOUR", "%20hour", "hour,day", "hour%00", "hour%2Fday")) {
            given().urlEncodingEnabled(false).get("/v1/rankings?window=" + window)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("detail", startsWith("window must be one of all, hour, day, week, hot; got '"));
        }
    }

    @Test
    void agingTakesBoundedStepsAndPrunesEveryMinuteThatLeftTheWeek() {
        // 10 items x 4 minutes = 40 buckets, aged by steps of 3 buckets (the test profile's batch).
        for (int minute = 0; minute < 4; minute++) {
            clock.freezeAt(T0.plus(Duration.ofMinutes(minute)));
            for (int i = 0; i < 10; i++) {
                like("item-" + i, "user-" + minute);
            }
        }
        assertEquals(40, buckets());
        Instant since = T0.plus(Duration.ofMinutes(62)).truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1));
        assertEquals(new WindowStore.Step(3, 3), windows.step(jobs.client(), RankingWindow.HOUR, since, 3).await().indefinitely(),
                "one step moves one batch");
        at(T0.plus(Duration.ofMinutes(62))); // 12:00 and 12:01 leave the hour
        assertWindows("item-7", 2, 4, 4, 4);
        at(T0.plus(Duration.ofDays(7)).plus(Duration.ofMinutes(2))); // 12:00 and 12:01 leave the week too
        assertEquals(20, buckets());
        assertWindows("item-7", 0, 0, 2, 4);
        at(T0.plus(Duration.ofDays(8)));
        assertEquals(0, buckets());
        assertWindows("item-7", 0, 0, 0, 4);
    }

    /** Moves the clock to {@code instant} and ages the windows as the background job would. */
    private void at(Instant instant) {
        clock.freezeAt(instant);
        aging.age().await().indefinitely();
    }

    private void assertWindows(String itemId, long hour, long day, long week, long all) {
        assertEquals(List.of(hour, day, week, all), List.of(count("hour", itemId), count("day", itemId),
                count("week", itemId), count("all", itemId)), "hour, day, week and all of " + itemId);
    }

    private long count(String window, String itemId) {
        List<Integer> likes = window(window, 100).extract().jsonPath().getList("items.findAll { it.itemId == '" + itemId + "' }.likes");
        return likes.isEmpty() ? 0 : likes.get(0);
    }

    private io.restassured.response.ValidatableResponse window(String window) {
        return window(window, 10);
    }

    private io.restassured.response.ValidatableResponse window(String window, int limit) {
        return given().queryParam("window", window).queryParam("limit", limit).get("/v1/rankings").then().statusCode(200);
    }

    private long buckets() {
        return database.count("SELECT count(*) FROM like_buckets");
    }

    private static void likes(String itemId, int count) {
        for (int i = 0; i < count; i++) {
            like(itemId, "user-" + i);
        }
    }

    private static void like(String itemId, String userId) {
        when().put("/v1/items/{item}/likes/{user}", itemId, userId).then().statusCode(200).body("changed", equalTo(true));
    }

    private static void unlike(String itemId, String userId) {
        when().delete("/v1/items/{item}/likes/{user}", itemId, userId).then().statusCode(200).body("changed", equalTo(true));
    }
}
