package dev.likes.ops;

import static dev.likes.support.TestIds.fresh;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.likes.db.AdvisoryLock;
import dev.likes.support.Clicks;
import dev.likes.support.Clicks.Click;
import dev.likes.support.Database;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** A recount finds every kind of drift and repairs it exactly, while clicks keep arriving. */
@QuarkusTest
class RecountTest {

    static final String RECOUNT = "/v1/admin/recount";

    @TestHTTPResource("/")
    URI base;

    @Inject
    Database database;

    @Inject
    RecountStore store;

    @Inject
    Pool pool;

    @BeforeEach
    void startEmpty() {
        database.clear();
    }

    @Test
    void aDryRunReportsEveryKindOfDriftAndChangesNothing() {
        List<String> items = likedItems(4, 3);
        corrupt(items);
        String before = database.fingerprint();

        JsonPath report = given().queryParam("dryRun", "true").post(RECOUNT).then().statusCode(200).extract().jsonPath();

        assertEquals(false, report.getBoolean("repaired"));
        assertEquals(4, report.getLong("checked"));
        assertEquals(3, report.getLong("drifted"));
        // +5 too many on one item, 2 too few on another, 3 without a counter: 3 - 5 + 2 = 0.
        assertEquals(0, report.getLong("delta"));
        assertEquals(before, database.fingerprint(), "a dry run changes nothing");
        assertEquals(3, database.drift().size());
    }

    @Test
    void aNegativeCounterIsRefusedByTheDatabase() {
        String item = likedItems(1, 1).get(0);
        assertThrows(RuntimeException.class, () -> database.update("UPDATE like_counts SET likes = -1 WHERE item_id = $1", item));
    }

    @Test
    void aRepairRestoresExactCountsAndReportsWhatItFixed() {
        List<String> items = likedItems(4, 3);
        corrupt(items);

        when().post(RECOUNT).then().statusCode(200)
                .body("repaired", equalTo(true))
                .body("checked", equalTo(4))
                .body("drifted", equalTo(3))
                .body("next", nullValue())
                .body("items.find { it.itemId == '" + items.get(2) + "' }.counter", nullValue())
                .body("items.find { it.itemId == '" + items.get(2) + "' }.likeRows", equalTo(3));

        assertEquals(Map.of(), database.drift());
        when().post(RECOUNT).then().statusCode(200).body("drifted", equalTo(0));
    }

    @Test
    void aLimitedRecountTellsWhereToResume() {
        List<String> items = likedItems(12, 1);

        JsonPath first = given().queryParam("limit", "5").post(RECOUNT).then().statusCode(200).extract().jsonPath();
        JsonPath rest = given().queryParam("after", first.getString("next")).post(RECOUNT).then().statusCode(200)
                .extract().jsonPath();

        assertEquals(5, first.getLong("checked"));
        assertEquals(items.stream().sorted().toList().get(4), first.getString("next"));
        assertEquals(7, rest.getLong("checked"));
        assertEquals(null, rest.getString("next"));
    }

    @Test
    void oneRecountAtATimeAcrossReplicas() {
        likedItems(3, 1);
        // Another replica's recount holds the lock on its own session.
        SqlConnection elsewhere = pool.getConnection().await().indefinitely();
        try {
            elsewhere.query(AdvisoryLock.RECOUNT.tryLock()).execute().await().indefinitely();
            given().post(RECOUNT).then().statusCode(409).contentType("application/problem+json")
                    .header("Retry-After", "10");
            given().queryParam("dryRun", "true").post(RECOUNT).then().statusCode(409);
            elsewhere.query(AdvisoryLock.RECOUNT.unlock()).execute().await().indefinitely();
        } finally {
            elsewhere.close().await().indefinitely(); // back to the test's pool: its session lives on
        }
        given().post(RECOUNT).then().statusCode(200);
    }

    /**
     * Calls that find a recount under way on this replica are refused before they open a connection:
     * the server counts the sessions opened meanwhile (pg_stat_database.sessions).
     */
    @Test
    void manyRecountsAtOnceOpenNoConnectionBeyondTheOneThatRuns() {
        database.update("INSERT INTO like_counts (item_id, likes) SELECT 'busy-' || i, 0 FROM generate_series(1, 2000) AS i");
        HttpClient http = HttpClient.newHttpClient();
        long backends = backends();
        long sessionsBefore = sessions();
        List<CompletableFuture<HttpResponse<Void>>> calls = IntStream.range(0, 40)
                .mapToObj(i -> http.sendAsync(HttpRequest.newBuilder(base.resolve(RECOUNT + "?dryRun=true"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()))
                .toList();
        List<Integer> statuses = calls.stream().map(call -> call.join().statusCode()).toList();
        long answered = statuses.stream().filter(status -> status == 200).count();
        assertEquals(40, answered + statuses.stream().filter(status -> status == 409).count(), statuses.toString());
        assertTrue(answered < 40, "some found the recount under way: " + statuses);
        // A session is counted when it ends: the recounts' connections have, once the backends are as before.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (backends() > backends && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        long opened = sessions() - sessionsBefore;
        // One connection per recount that ran; a little room for the pool's own (a connection it replaced).
        assertTrue(opened <= answered + 2, opened + " sessions opened for " + answered + " recounts of 40 calls");
    }

    /** Sessions the server has opened in the test database so far (counted as they end). */
    private long sessions() {
        return database.count("SELECT sessions FROM pg_stat_database WHERE datname = current_database()");
    }

    private long backends() {
        return database.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()");
    }

    @Test
    void aWalkOfManyBatchesFinishes() {
        // 3000 items in batches of 7 (the test batch size): over 400 batches in one call.
        database.update("INSERT INTO like_counts (item_id, likes) SELECT 'many-' || i, 0 FROM generate_series(1, 3000) AS i");

        given().queryParam("dryRun", "true").post(RECOUNT).then().statusCode(200)
                .body("checked", equalTo(3000)).body("drifted", equalTo(0));
    }

    @Test
    void badParametersAre400s() {
        given().queryParam("dryRun", "yes").post(RECOUNT).then().statusCode(400).contentType("application/problem+json");
        given().queryParam("limit", "0").post(RECOUNT).then().statusCode(400).contentType("application/problem+json");
        given().queryParam("after", "a b").post(RECOUNT).then().statusCode(400).contentType("application/problem+json");
        when().get(RECOUNT).then().statusCode(405);
    }

    @Test
    void aRepairWaitsForAClickInFlightAndCountsIt() throws Exception {
        String item = likedItems(1, 2).get(0);
        database.update("UPDATE like_counts SET likes = 7 WHERE item_id = $1", item);
        // A click under way: its like row is written and its counter held, not yet committed.
        SqlConnection click = pool.getConnection().await().indefinitely();
        SqlConnection recount = pool.getConnection().await().indefinitely();
        try {
            click.query("BEGIN").execute().await().indefinitely();
            click.preparedQuery("INSERT INTO likes (item_id, user_id) VALUES ($1, 'late')").execute(Tuple.of(item))
                    .await().indefinitely();
            click.preparedQuery("UPDATE like_counts SET likes = likes + 1 WHERE item_id = $1").execute(Tuple.of(item))
                    .await().indefinitely();

            CompletableFuture<List<CounterDrift>> repair = store.repair(recount, List.of(item)).subscribeAsCompletionStage();
            Thread.sleep(300);
            assertFalse(repair.isDone(), "the repair waits for the click");
            click.query("COMMIT").execute().await().indefinitely();

            assertEquals(List.of(new CounterDrift(item, 8L, 3)), repair.get(5, TimeUnit.SECONDS));
        } finally {
            click.close().await().indefinitely();
            recount.close().await().indefinitely();
        }
        assertEquals(3L, database.counter(item));
    }

    @Test
    void repairsRacingClicksLoseNoClick() throws Exception {
        List<String> items = likedItems(6, 10);
        Clicks clicks = new Clicks(base);
        Random random = new Random(7);
        List<Click> racing = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            String item = items.get(random.nextInt(items.size()));
            String user = "racer-" + random.nextInt(40);
            racing.add(random.nextBoolean() ? Click.like(item, user) : Click.unlike(item, user));
        }

        CompletableFuture<Void> clicking = CompletableFuture.runAsync(
                () -> clicks.concurrently(64, racing, click -> clicks.sendUntilAnswered(click, Duration.ofSeconds(30))));
        List<String> reports = new ArrayList<>();
        while (!clicking.isDone()) {
            // Drift of exactly +5 and -2 (each UPDATE is atomic with respect to clicks), then a repair.
            database.update("UPDATE like_counts SET likes = likes + 5 WHERE item_id = $1", items.get(0));
            database.update("UPDATE like_counts SET likes = likes - 2 WHERE item_id = $1", items.get(1));
            JsonPath report = when().post(RECOUNT).then().statusCode(200).extract().jsonPath();
            reports.add(report.getLong("drifted") + " items, delta " + report.getLong("delta"));
        }
        clicking.get();

        assertTrue(reports.size() >= 5, "repairs ran while clicks arrived: " + reports.size());
        // Each repair finds exactly the drift made since the one before: a click lost by a repair
        // would show up in the next one's report.
        assertEquals(List.of("2 items, delta -3"), reports.stream().distinct().toList());
        assertEquals(Map.of(), database.drift());
    }

    /** {@code count} fresh items, each liked by {@code users} users. */
    private List<String> likedItems(int count, int users) {
        List<String> items = IntStream.range(0, count).mapToObj(i -> fresh("recount")).toList();
        for (String item : items) {
            for (int u = 0; u < users; u++) {
                when().put("/v1/items/{item}/likes/{user}", item, "fan-" + u).then().statusCode(200);
            }
        }
        return items;
    }

    /** Counter too high on item 0, too low on item 1, missing on item 2. */
    private void corrupt(List<String> items) {
        database.update("UPDATE like_counts SET likes = likes + 5 WHERE item_id = $1", items.get(0));
        database.update("UPDATE like_counts SET likes = likes - 2 WHERE item_id = $1", items.get(1));
        database.update("DELETE FROM like_counts WHERE item_id = $1", items.get(2));
    }
}
