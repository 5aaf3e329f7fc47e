package dev.likes.ranking;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.likes.support.Clicks;
import dev.likes.support.Database;
import dev.likes.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The hot ranking: every standing like weighs 2^(-age / half-life) (6 hours here). Its order is
 * checked against a recount from the rows (the decayed sums, computed here in Java from each row's
 * time) at several moments, through unlikes and across a re-base with clicks running meanwhile.
 */
@QuarkusTest
class HotRankingTest {

    static final Instant T0 = Instant.parse("2030-03-01T00:00:00Z");
    static final double HALF_LIFE = 6 * 3600;

    @Inject
    Database database;
    @Inject
    TestClock clock;
    @Inject
    HotRebase rebase;
    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @BeforeEach
    void startEmptyAtT0() {
        database.clear();
        clock.freezeAt(T0);
        rebase.rebase().await().indefinitely(); // the frame moves from today to T0
        assertEquals(T0.getEpochSecond(), database.count("SELECT base FROM like_hot"));
    }

    @AfterEach
    void noDrift() {
        assertEquals(Map.of(), database.windowDrift(), "hot scores equal the sums of their rows' terms");
        assertEquals(Map.of(), database.drift());
        database.clear();
        clock.reset();
    }

    @Test
    void theOrderIsTheOrderOfTheDecayedSumsAtEveryMoment() {
        // Old popularity against fresh interest: 8 likes at T0 lose to 3 likes 18 hours later.
        likes("old", 8);
        at(Duration.ofHours(5));
        likes("steady", 2);
        at(Duration.ofHours(12));
        likes("steady", 2, 2);
        likes("mid", 3);
        at(Duration.ofHours(18));
        likes("fresh", 3);
        at(Duration.ofHours(19));
        assertOrderIsTheRecount(List.of("fresh", "mid", "steady", "old"));
        at(Duration.ofHours(40)); // no like since: every score halved alike, the order stays
        assertOrderIsTheRecount(List.of("fresh", "mid", "steady", "old"));
        likes("old", 1, 8);
        assertOrderIsTheRecount(List.of("old", "fresh", "mid", "steady"));
    }

    @Test
    void aLikeMadeNowWeighsOneAndHalvesEachHalfLife() {
        likes("post-1", 1);
        hot().body("window", equalTo("hot")).body("since", nullValue())
                .body("items[0].itemId", equalTo("post-1")).body("items[0].likes", equalTo(1)).body("items[0].score", equalTo(1.0f));
        at(Duration.ofHours(6));
        assertEquals(0.5, score("post-1"), 1e-7);
        at(Duration.ofHours(24));
        assertEquals(1.0 / 16, score("post-1"), 1e-7);
    }

    @Test
    void anUnlikeTakesAwayExactlyItsOwnTerm() {
        likes("post-1", 3);
        String before = hotColumn("post-1");
        at(Duration.ofMinutes(97));
        likes("post-1", 1, 3);
        unlike("post-1", "user-3");
        assertEquals(before, hotColumn("post-1"), "to the last digit");
        unlike("post-1", "user-0"); // a like of another moment
        unlike("post-1", "user-1");
        unlike("post-1", "user-2");
        assertEquals("0.000000", hotColumn("post-1"));
        hot().body("items", org.hamcrest.Matchers.empty());
    }

    @Test
    void equalScoresTieByItemId() {
        for (String item : List.of("c", "a", "b")) {
            likes(item, 2);
        }
        hot().body("items.itemId", contains("a", "b", "c"));
    }

    @Test
    void aCursorWalkVisitsEachItemOnce() {
        for (int i = 0; i < 11; i++) {
            at(Duration.ofMinutes(10L * (i % 4)));
            likes("item-" + i, 1 + i % 3);
        }
        at(Duration.ofHours(1));
        List<String> walked = walk(2);
        assertEquals(recount(), walked);
        assertEquals(11, walked.size());
    }

    @Test
    void aReBaseMovesEveryScoreIntoTheNewFrameWhileClicksGoOn() {
        for (int i = 0; i < 10; i++) {
            at(Duration.ofMinutes(30L * i));
            likes("item-" + i, 1 + i % 4);
        }
        at(Duration.ofHours(HotRebase.REBASE_AFTER * 6 + 1));
        // Clicks on the same items while the walk moves them, three at a time (the test profile's batch).
        Clicks clicks = new Clicks(URI.create("http://127.0.0.1:" + port));
        List<Clicks.Click> load = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String item = "item-" + (i % 10);
            load.add(i % 3 == 2 ? Clicks.Click.unlike(item, "user-0") : Clicks.Click.like(item, "late-" + i));
        }
        CompletableFuture<List<Clicks.Answer>> running = CompletableFuture.supplyAsync(() -> clicks.concurrently(8, load));
        rebase.rebase().await().indefinitely();
        running.join().forEach(answer -> assertEquals(200, answer.status()));
        rebase.rebase().await().indefinitely(); // any counter a click created in the old frame meanwhile

        long base = database.count("SELECT base FROM like_hot");
        assertEquals(T0.plus(Duration.ofHours(HotRebase.REBASE_AFTER * 6 + 1)).getEpochSecond(), base);
        assertEquals(0, database.count("SELECT count(*) FROM like_counts WHERE hot > 0 AND hot_base <> $1", base));
        assertEquals(1, database.count("SELECT count(*) FROM like_hot WHERE settled"));
        assertEquals(recount(), walk(3));
    }

    @Test
    void aHotCursorServesOnlyTheHotRanking() {
        likes("a", 2);
        likes("b", 1);
        String next = given().queryParam("window", "hot").queryParam("limit", 1).get("/v1/rankings")
                .then().statusCode(200).extract().path("next");
        given().queryParam("window", "day").queryParam("after", next).get("/v1/rankings").then().statusCode(400);
        given().queryParam("window", "hot").queryParam("after", next).get("/v1/rankings")
                .then().statusCode(200).body("items.itemId", contains("b")).body("items.rank", contains(2));
    }

    /** The API's order equals the recount's, and each score is its decayed sum now. */
    private void assertOrderIsTheRecount(List<String> expected) {
        assertEquals(expected, recount(), "the test's own expectation");
        assertEquals(expected, walk(2));
        Map<String, Double> sums = decayedSums();
        for (String item : expected) {
            // Terms are rounded to 6 decimals in the frame, and the answer's JSON is read here as a float.
            assertEquals(sums.get(item), score(item), sums.get(item) * 1e-6 + 1e-5, item);
        }
    }

    /** Items by their decayed sum now, from the like rows' times (no tie in these tests but by id). */
    private List<String> recount() {
        Map<String, Double> sums = decayedSums();
        List<String> items = new ArrayList<>(sums.keySet());
        items.sort(Comparator.comparing((String item) -> -sums.get(item)).thenComparing(Comparator.naturalOrder()));
        return items;
    }

    private Map<String, Double> decayedSums() {
        double now = clock.millis() / 1000.0;
        Map<String, Double> sums = new HashMap<>();
        for (String row : database.rows("SELECT item_id || ' ' || extract(epoch FROM created_at) FROM likes")) {
            String[] fields = row.split(" ");
            sums.merge(fields[0], Math.pow(2, (Double.parseDouble(fields[1]) - now) / HALF_LIFE), Double::sum);
        }
        sums.values().removeIf(sum -> sum < 1e-6);
        return sums;
    }

    private List<String> walk(int limit) {
        List<String> walked = new ArrayList<>();
        String after = null;
        do {
            var request = given().queryParam("window", "hot").queryParam("limit", limit);
            if (after != null) {
                request.queryParam("after", after);
            }
            JsonPath page = request.get("/v1/rankings").then().statusCode(200).extract().jsonPath();
            walked.addAll(page.getList("items.itemId"));
            after = page.getString("next");
        } while (after != null);
        return walked;
    }

    private double score(String itemId) {
        return given().queryParam("window", "hot").queryParam("limit", 100).get("/v1/rankings")
                .then().extract().jsonPath().getDouble("items.find { it.itemId == '" + itemId + "' }.score");
    }

    private String hotColumn(String itemId) {
        return database.rows("SELECT hot::text FROM like_counts WHERE item_id = '" + itemId + "'").get(0);
    }

    private io.restassured.response.ValidatableResponse hot() {
        return given().queryParam("window", "hot").get("/v1/rankings").then().statusCode(200);
    }

    private void at(Duration sinceT0) {
        clock.freezeAt(T0.plus(sinceT0));
    }

    private static void likes(String itemId, int count) {
        likes(itemId, count, 0);
    }

    private static void likes(String itemId, int count, int firstUser) {
        for (int i = firstUser; i < firstUser + count; i++) {
            when().put("/v1/items/{item}/likes/{user}", itemId, "user-" + i).then().statusCode(200).body("changed", equalTo(true));
        }
    }

    private static void unlike(String itemId, String userId) {
        when().delete("/v1/items/{item}/likes/{user}", itemId, userId).then().statusCode(200).body("changed", equalTo(true));
    }
}
