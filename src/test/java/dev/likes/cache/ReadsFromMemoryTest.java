package dev.likes.cache;

import static dev.likes.support.TestIds.fresh;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.likes.counting.CountAnnouncer;
import dev.likes.lifecycle.LifecycleJobs;
import dev.likes.likes.ClickStatement;
import dev.likes.likes.Direction;
import dev.likes.support.Clicks;
import dev.likes.support.Clicks.Click;
import dev.likes.support.Database;
import dev.likes.support.Metrics;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Public counts and ranking pages from memory, against the real PostgreSQL: changes reach what is
 * kept, through the announcements (another replica's write, simulated in SQL), this replica's own
 * writes, lifecycle jobs and the recount; an item never goes back in time; a dropped listening
 * connection drops what is kept. The age limit is long here (a minute), so that only an announcement,
 * or the loss of the listening connection, can explain a fresh count.
 */
@QuarkusTest
@TestProfile(ReadsFromMemoryTest.InMemory.class)
class ReadsFromMemoryTest {

    public static class InMemory implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("likes.read.cache-max-items", "10000", "likes.read.cache-max-age", "60s",
                    "likes.read.rankings-refresh", "1s");
        }
    }

    static final Pattern LIKES = Pattern.compile("\"likes\":(\\d+)");

    @TestHTTPResource("/")
    URI base;
    @Inject
    Database database;
    @Inject
    LifecycleJobs lifecycle;

    @Test
    void aCountKeptInMemoryIsServedWithoutTheDatabaseUntilAChangeIsAnnounced() throws InterruptedException {
        String item = fresh("kept");
        // Once the replica listens for announcements (just after it starts), what it reads it keeps.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        double before = Metrics.value("likes_read_cache_hits_total", "of=\"counts\"");
        while (count(item) == 0 && Metrics.value("likes_read_cache_hits_total", "of=\"counts\"") == before) {
            assertTrue(System.nanoTime() < deadline, "counts are kept within 5 s of the start");
            Thread.sleep(20);
        }
        double hits = Metrics.value("likes_read_cache_hits_total", "of=\"counts\"");
        for (int i = 0; i < 5; i++) {
            assertEquals(0, count(item));
        }
        assertEquals(hits + 5, Metrics.value("likes_read_cache_hits_total", "of=\"counts\""));

        // Another replica's like, in SQL: this replica learns of it from the announcement only.
        database.update(new ClickStatement(Direction.LIKE, ClickStatement.Limits.OFF, ClickStatement.Events.OFF).sql(), new String[] {item}, new String[] {"ann"}, OffsetDateTime.now());
        assertEquals(0, count(item), "until the announcement comes, the count kept stands");
        long announced = System.nanoTime();
        database.update(CountAnnouncer.NOTIFY, new String[] {item}, System.currentTimeMillis());
        awaitCount(item, 1, Duration.ofSeconds(1));
        assertTrue(Duration.ofNanos(System.nanoTime() - announced).toMillis() < 1000);
    }

    @Test
    void aLikeOnThisReplicaIsSeenByItsNextRead() {
        String item = fresh("own");
        assertEquals(0, count(item));
        when().put("/v1/items/{item}/likes/{user}", item, "bob").then().statusCode(200);
        assertEquals(1, count(item), "read your writes on the replica that wrote");
        given().queryParam("ids", item).queryParam("userId", "bob").get("/v1/items")
                .then().statusCode(200).body("items[0].liked", org.hamcrest.Matchers.equalTo(true));
    }

    /**
     * Readers of two items race likes of one (its count only grows) and unlikes of the other (it only
     * shrinks): a read that starts after another ended never shows an older state of either.
     */
    @Test
    void racingClicksNeverMakeAReplicaServeAnOlderStateAfterANewerOne() throws Exception {
        String growing = fresh("growing");
        String shrinking = fresh("shrinking");
        Clicks clicks = new Clicks(base);
        clicks.concurrently(16, IntStream.range(0, 150).mapToObj(i -> Click.like(shrinking, "leaver-" + i)).toList());
        List<Click> racing = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            racing.add(Click.like(growing, "joiner-" + i));
            racing.add(Click.unlike(shrinking, "leaver-" + i));
        }
        Collections.shuffle(racing);
        AtomicBoolean clicking = new AtomicBoolean(true);
        List<long[]> reads = Collections.synchronizedList(new ArrayList<>()); // start, end, growing, shrinking
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Void>> readers = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
            readers.add(CompletableFuture.runAsync(() -> {
                while (clicking.get()) {
                    long start = System.nanoTime();
                    String body = http.sendAsync(HttpRequest.newBuilder(base.resolve("/v1/items?ids=" + growing + "," + shrinking)).build(),
                            HttpResponse.BodyHandlers.ofString()).join().body();
                    Matcher likes = LIKES.matcher(body);
                    likes.find();
                    long first = Long.parseLong(likes.group(1));
                    likes.find();
                    reads.add(new long[] {start, System.nanoTime(), first, Long.parseLong(likes.group(1))});
                }
            }, threads));
        }
        clicks.concurrently(16, racing);
        clicking.set(false);
        readers.forEach(CompletableFuture::join);
        threads.shutdown();
        List<long[]> seen = new ArrayList<>(reads);
        assertTrue(seen.size() > 50, seen.size() + " reads");
        for (long[] earlier : seen) {
            for (long[] later : seen) {
                if (later[0] > earlier[1]) {
                    assertTrue(later[2] >= earlier[2] && later[3] <= earlier[3], "a read after another went back in time: "
                            + earlier[2] + "/" + earlier[3] + " then " + later[2] + "/" + later[3]);
                }
            }
        }
        assertEquals(150, count(growing));
        assertEquals(0, count(shrinking));
    }

    @Test
    void aDroppedListeningConnectionDropsWhatIsKept() throws InterruptedException {
        String item = fresh("dropped");
        assertEquals(0, count(item));
        // The listening connection goes, and a change is made meanwhile whose announcement nobody hears.
        database.update("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'likes-count-feed'");
        database.update(new ClickStatement(Direction.LIKE, ClickStatement.Limits.OFF, ClickStatement.Events.OFF).sql(), new String[] {item}, new String[] {"ann"}, OffsetDateTime.now());
        awaitCount(item, 1, Duration.ofSeconds(5));
    }

    @Test
    void lifecycleJobsAndTheRecountReachWhatIsKept() throws InterruptedException {
        String item = fresh("moved");
        String user = fresh("suspended");
        when().put("/v1/items/{item}/likes/{user}", item, user).then().statusCode(200);
        when().put("/v1/items/{item}/likes/{user}", item, "stays").then().statusCode(200);
        assertEquals(2, count(item));
        String job = when().put("/v1/admin/users/{user}/suspension", user).then().statusCode(202).extract().path("id");
        while (!"done".equals(when().get("/v1/lifecycle/jobs/{id}", job).then().extract().path("state"))) {
            lifecycle.pass().await().indefinitely();
        }
        assertEquals(1, count(item), "the job's change reached the count kept");

        // A counter that drifted (by hand, so no announcement) is read and kept; the recount's repair reaches it.
        String drifted = fresh("drifted");
        when().put("/v1/items/{item}/likes/{user}", drifted, "ann").then().statusCode(200);
        database.update("UPDATE like_counts SET likes = 9 WHERE item_id = $1", drifted);
        Thread.sleep(300); // the like's own announcement has come and gone
        assertEquals(9, count(drifted));
        assertEquals(9, count(drifted), "kept");
        given().post("/v1/admin/recount").then().statusCode(200);
        awaitCount(drifted, 1, Duration.ofSeconds(1));
    }

    @Test
    void theFirstPageOfARankingIsReadOnceForAllAndAgainWithinTheRefresh() throws InterruptedException {
        database.clear();
        String top = fresh("top");
        for (int i = 0; i < 3; i++) {
            when().put("/v1/items/{item}/likes/{user}", top, "fan-" + i).then().statusCode(200);
        }
        double reads = Metrics.value("likes_read_cache_misses_total", "of=\"rankings-all\"");
        List<CompletableFuture<String>> pages = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 40; i++) {
            pages.add(http.sendAsync(HttpRequest.newBuilder(base.resolve("/v1/rankings?limit=5")).build(),
                    HttpResponse.BodyHandlers.ofString()).thenApply(HttpResponse::body));
        }
        pages.forEach(CompletableFuture::join);
        assertTrue(Metrics.value("likes_read_cache_misses_total", "of=\"rankings-all\"") - reads <= 3,
                "40 first pages at once: one read a second at most");
        // A new leader of the ranking shows within the refresh (a second) and a read.
        String newTop = fresh("new-top");
        for (int i = 0; i < 5; i++) {
            when().put("/v1/items/{item}/likes/{user}", newTop, "crowd-" + i).then().statusCode(200);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (!when().get("/v1/rankings?limit=1").then().extract().path("items[0].itemId").equals(newTop)) {
            assertTrue(System.nanoTime() < deadline, "the new leader shows within the refresh");
            Thread.sleep(50);
        }
        // Deeper pages come from the database, cursors as before.
        String next = when().get("/v1/rankings?limit=1").then().extract().path("next");
        when().get("/v1/rankings?limit=1&after=" + next).then().statusCode(200);
    }

    private long count(String item) {
        return ((Number) when().get("/v1/items/{item}", item).then().statusCode(200).extract().path("likes")).longValue();
    }

    private void awaitCount(String item, long expected, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        long seen;
        while ((seen = count(item)) != expected) {
            assertTrue(System.nanoTime() < deadline, item + " still " + seen + ", not " + expected + ", after " + within);
            Thread.sleep(20);
        }
    }
}
