package dev.likes.lifecycle;

import static dev.likes.support.TestIds.fresh;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.likes.likes.ClickStatement;
import dev.likes.likes.Direction;
import dev.likes.ranking.WindowAging;
import dev.likes.support.Clicks;
import dev.likes.support.Clicks.Answer;
import dev.likes.support.Clicks.Click;
import dev.likes.support.Database;
import dev.likes.support.TestClock;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Erasure, removal, suspension and reinstatement under real concurrency: each races clicks on the
 * same items (and the aging job), and afterwards counts, windows and buckets equal their like rows,
 * and no acknowledged like of anyone else is lost. Jobs run in small batches (the test profile's
 * batch size), driven by the test rather than the leader's timer.
 */
@QuarkusTest
class LifecycleTest {

    static final int CLIENTS = 16;
    /** %test.likes.lifecycle.fence-timeout. */
    static final Duration FENCE_TIMEOUT = Duration.ofSeconds(6);

    @TestHTTPResource("/")
    URI base;

    @Inject
    Database database;
    @Inject
    LifecycleJobs jobs;
    @Inject
    TestClock clock;
    @Inject
    WindowAging aging;
    @Inject
    Pool pool;

    @AfterEach
    void countsEqualRows() {
        assertEquals(Map.of(), database.drift(), "counters equal their like rows");
        assertEquals(Map.of(), database.windowDrift(), "windows and buckets equal their like rows");
        clock.reset();
    }

    @Test
    void anErasureRacingClicksTakesTheUsersLikesAndNothingElse() {
        Clicks clicks = new Clicks(base);
        String user = fresh("leaver");
        List<String> items = IntStream.range(0, 40).mapToObj(i -> fresh("erased-item")).toList();
        clicks.concurrently(CLIENTS, items.stream().map(item -> Click.like(item, user)).toList());

        // Others like the same items while the erasure runs; the user likes new items too.
        List<Click> racing = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            for (String item : items) {
                racing.add(Click.like(item, "stayer-" + i));
            }
        }
        List<String> later = IntStream.range(0, 10).mapToObj(i -> fresh("liked-during")).toList();
        later.forEach(item -> racing.add(Click.like(item, user)));
        CompletableFuture<List<Answer>> others = CompletableFuture.supplyAsync(() -> clicks.concurrently(CLIENTS, racing));
        String job = given().delete("/v1/users/{user}/likes", user).then().statusCode(202)
                .body("kind", equalTo("erase-user")).body("subject", equalTo(user)).extract().path("id");
        // Asking again while it runs answers the same job.
        assertEquals(job, given().delete("/v1/users/{user}/likes", user).then().statusCode(202).extract().path("id"));
        runUntilDone(job, others);

        assertTrue(others.join().stream().allMatch(a -> a.status() == 200), "every racing click was answered");
        for (String item : items) {
            assertEquals(0, database.count("SELECT count(*) FROM likes WHERE item_id = $1 AND user_id = $2", item, user));
            assertEquals(10, database.likeRows(item), "every other user's like of " + item + " stands");
            assertEquals(10L, database.counter(item));
        }
        // Likes that raced the erasure may stand; erasing again takes them too.
        runUntilDone(given().delete("/v1/users/{user}/likes", user).then().statusCode(202).extract().path("id"), null);
        assertEquals(0, database.count("SELECT count(*) FROM likes WHERE user_id = $1", user));
        later.forEach(item -> assertEquals(0L, database.counter(item)));
    }

    @Test
    void aRemovalRacingClicksOnTheItemLeavesNothingOfIt() {
        Clicks clicks = new Clicks(base);
        String item = fresh("removed");
        clicks.concurrently(CLIENTS, IntStream.range(0, 100).mapToObj(i -> Click.like(item, "early-" + i)).toList());

        List<Click> racing = IntStream.range(0, 300).mapToObj(i -> Click.like(item, "racer-" + i)).toList();
        CompletableFuture<List<Answer>> answers = CompletableFuture.supplyAsync(() -> clicks.concurrently(CLIENTS, racing));
        var removal = given().delete("/v1/items/{item}", item).then().statusCode(202).extract();
        String job = removal.path("id");
        assertTrue(removal.header("Location").endsWith("/v1/lifecycle/jobs/" + job), removal.header("Location"));
        runUntilDone(job, answers);

        for (Answer answer : answers.join()) {
            assertTrue(answer.status() == 200 || answer.status() == 410, "a click before the removal or refused after: " + answer);
        }
        assertEquals(0, database.likeRows(item));
        assertEquals(null, database.counter(item));
        assertEquals(0, database.count("SELECT count(*) FROM like_buckets WHERE item_id = $1", item));
        given().put("/v1/items/{item}/likes/{user}", item, "late").then().statusCode(410)
                .contentType("application/problem+json");
        given().get("/v1/items/{item}/likes", item).then().statusCode(410);

        // An operator lets the id start afresh.
        given().delete("/v1/admin/items/{item}/removal", item).then().statusCode(204);
        given().delete("/v1/admin/items/{item}/removal", item).then().statusCode(404);
        given().put("/v1/items/{item}/likes/{user}", item, "fresh").then().statusCode(200).body("likes", equalTo(1));
    }

    @Test
    void aSuspensionAndAReinstatementRacingClicksAndAgingCountTheSameLikesExactly() {
        Instant t0 = Instant.parse("2030-01-07T12:00:30Z");
        clock.freezeAt(t0);
        aging.age().await().indefinitely();
        Clicks clicks = new Clicks(base);
        String user = fresh("bot");
        List<String> items = IntStream.range(0, 30).mapToObj(i -> fresh("botted")).toList();
        clicks.concurrently(CLIENTS, items.stream().map(item -> Click.like(item, user)).toList());
        clicks.concurrently(CLIENTS, items.stream().map(item -> Click.like(item, "human")).toList());
        clock.advance(Duration.ofMinutes(59));

        // The user clicks on while being suspended; the windows age meanwhile.
        List<String> more = IntStream.range(0, 30).mapToObj(i -> fresh("botted-more")).toList();
        CompletableFuture<List<Answer>> during = CompletableFuture.supplyAsync(() ->
                clicks.concurrently(4, more.stream().map(item -> Click.like(item, user)).toList()));
        String suspension = given().put("/v1/admin/users/{user}/suspension", user).then().statusCode(202)
                .body("kind", equalTo("suspend-user")).extract().path("id");
        clock.advance(Duration.ofMinutes(2));
        CompletableFuture<Void> aged = CompletableFuture.runAsync(() -> aging.age().await().indefinitely());
        runUntilDone(suspension, during);
        aged.join();
        List<String> acknowledged = new ArrayList<>();
        List<Answer> answers = during.join();
        for (int i = 0; i < answers.size(); i++) {
            assertTrue(answers.get(i).status() == 200 || answers.get(i).status() == 403, "liked before, refused after: " + answers.get(i));
            if (answers.get(i).status() == 200) {
                acknowledged.add(more.get(i));
            }
        }

        assertEquals(0, database.count("SELECT count(*) FROM likes WHERE user_id = $1", user), "no like of a suspended user counts");
        items.forEach(item -> assertEquals(1L, database.counter(item), "only the human's like of " + item + " counts"));
        given().put("/v1/items/{item}/likes/{user}", items.get(0), user).then().statusCode(403)
                .contentType("application/problem+json");
        given().delete("/v1/items/{item}/likes/{user}", items.get(0), user).then().statusCode(403);
        given().get("/v1/admin/users/{user}/suspension", user).then().statusCode(200).body("userId", equalTo(user));
        assertEquals(Map.of(), database.windowDrift());

        // Reinstated while the windows age again: the same likes count again, each in the windows of its own minute.
        String reinstatement = given().delete("/v1/admin/users/{user}/suspension", user).then().statusCode(202)
                .body("kind", equalTo("reinstate-user")).extract().path("id");
        clock.advance(Duration.ofMinutes(1));
        CompletableFuture<Void> agedAgain = CompletableFuture.runAsync(() -> aging.age().await().indefinitely());
        runUntilDone(reinstatement, agedAgain);
        aging.age().await().indefinitely();

        assertEquals(items.size() + acknowledged.size(), database.count("SELECT count(*) FROM likes WHERE user_id = $1", user));
        items.forEach(item -> assertEquals(2L, database.counter(item)));
        acknowledged.forEach(item -> assertEquals(1L, database.counter(item)));
        given().get("/v1/admin/users/{user}/suspension", user).then().statusCode(404);
        given().put("/v1/items/{item}/likes/{user}", fresh("after"), user).then().statusCode(200);
        // The first likes are 62 minutes old: out of the hour, still in the day.
        assertEquals(0, database.count("SELECT count(*) FROM like_counts WHERE item_id = $1 AND likes_hour <> 0", items.get(0)));
        assertEquals(2, database.count("SELECT likes_day FROM like_counts WHERE item_id = $1", items.get(0)));
    }

    @Test
    void theLastOfQuickSuspensionsAndReinstatementsDecides() {
        Clicks clicks = new Clicks(base);
        String user = fresh("flip");
        List<String> items = IntStream.range(0, 12).mapToObj(i -> fresh("flipped")).toList();
        clicks.concurrently(CLIENTS, items.stream().map(item -> Click.like(item, user)).toList());

        String first = given().put("/v1/admin/users/{user}/suspension", user).then().statusCode(202).extract().path("id");
        String back = given().delete("/v1/admin/users/{user}/suspension", user).then().statusCode(202).extract().path("id");
        String again = given().put("/v1/admin/users/{user}/suspension", user).then().statusCode(202).extract().path("id");
        assertFalse(first.equals(again), "a suspension after a reinstatement is a job of its own");
        runUntilDone(first, null);
        runUntilDone(back, null);
        runUntilDone(again, null);
        assertEquals(0, database.count("SELECT count(*) FROM likes WHERE user_id = $1", user));
        assertEquals(12, database.count("SELECT count(*) FROM suspended_likes WHERE user_id = $1", user));
        items.forEach(item -> assertEquals(0L, database.counter(item)));

        // An item removed while the user was suspended does not get its like back.
        runUntilDone(given().delete("/v1/items/{item}", items.get(0)).then().statusCode(202).extract().path("id"), null);
        runUntilDone(given().delete("/v1/admin/users/{user}/suspension", user).then().statusCode(202).extract().path("id"), null);
        assertEquals(11, database.count("SELECT count(*) FROM likes WHERE user_id = $1", user));
        assertEquals(0, database.count("SELECT count(*) FROM suspended_likes WHERE user_id = $1", user));
        items.subList(1, items.size()).forEach(item -> assertEquals(1L, database.counter(item)));
    }

    /**
     * A click whose statement's snapshot predates the suspension does not see it and writes its like
     * after the job has drained the user: the job waits for it (its fence) and sets the like aside.
     */
    @Test
    void aClickThatStartedBeforeTheSuspensionIsWaitedForAndSetAside() {
        String user = fresh("late");
        String item = fresh("late-item");
        SqlConnection late = pool.getConnection().await().indefinitely();
        try {
            late.query("BEGIN ISOLATION LEVEL REPEATABLE READ").execute().await().indefinitely();
            late.query("SELECT 1").execute().await().indefinitely();
            String job = given().put("/v1/admin/users/{user}/suspension", user).then().statusCode(202).extract().path("id");
            jobs.pass().await().indefinitely();
            jobs.pass().await().indefinitely();
            given().get("/v1/lifecycle/jobs/{id}", job).then().body("state", equalTo("running"));

            late.preparedQuery(new ClickStatement(Direction.LIKE, ClickStatement.Limits.OFF, ClickStatement.Events.OFF).sql()).execute(Tuple.of(new String[] {item}, new String[] {user},
                    OffsetDateTime.now(ZoneOffset.UTC))).await().indefinitely();
            late.query("COMMIT").execute().await().indefinitely();
            assertEquals(1L, database.counter(item), "the late like counted, for a moment");

            runUntilDone(job, null);
            assertEquals(0L, database.counter(item));
            assertEquals(1, database.count("SELECT count(*) FROM suspended_likes WHERE user_id = $1", user));
        } finally {
            late.close().await().indefinitely();
        }
    }

    /**
     * A session idle in a transaction at READ COMMITTED (a forgotten console, an open report) holds no
     * snapshot between its statements, so it cannot write a like under an old one: no job waits for it.
     */
    @Test
    void anErasureFinishesWhileAnUnrelatedSessionIsIdleInATransaction() {
        String user = fresh("erased-beside-idle");
        List<String> items = IntStream.range(0, 3).mapToObj(i -> fresh("idle-item")).toList();
        items.forEach(item -> given().put("/v1/items/{item}/likes/{user}", item, user).then().statusCode(200));
        SqlConnection idle = pool.getConnection().await().indefinitely();
        try {
            idle.query("BEGIN").execute().await().indefinitely();
            idle.query("SELECT count(*) FROM likes").execute().await().indefinitely();
            long start = System.nanoTime();
            runUntilDone(given().delete("/v1/users/{user}/likes", user).then().statusCode(202).extract().path("id"), null);
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(FENCE_TIMEOUT) < 0,
                    "done at once, not after the fence timeout");
            assertEquals(0, database.count("SELECT count(*) FROM likes WHERE user_id = $1", user));
            items.forEach(item -> assertEquals(0L, database.counter(item)));
            assertEquals(1, idle.query("SELECT 1").execute().await().indefinitely().iterator().next().getInteger(0).intValue(),
                    "the idle session was left alone, still in its transaction");
        } finally {
            // Back to the service's pool, so out of its transaction first.
            idle.query("ROLLBACK").execute().await().indefinitely();
            idle.close().await().indefinitely();
        }
    }

    /**
     * A session that keeps an old snapshot (REPEATABLE READ) could write under it, so the job waits for
     * it, but only up to likes.lifecycle.fence-timeout after its request: no click statement lives as
     * long, and what does is not the service's.
     */
    @Test
    void aSnapshotHeldLongerThanAnyClickHoldsAJobOnlyUntilTheFenceTimeout() {
        String user = fresh("suspended-beside-report");
        String item = fresh("report-item");
        given().put("/v1/items/{item}/likes/{user}", item, user).then().statusCode(200);
        SqlConnection report = pool.getConnection().await().indefinitely();
        try {
            report.query("BEGIN ISOLATION LEVEL REPEATABLE READ").execute().await().indefinitely();
            report.query("SELECT count(*) FROM likes").execute().await().indefinitely();
            long start = System.nanoTime();
            String job = given().put("/v1/admin/users/{user}/suspension", user).then().statusCode(202).extract().path("id");
            jobs.pass().await().indefinitely();
            given().get("/v1/lifecycle/jobs/{id}", job).then().body("state", equalTo("running"));
            assertEquals(0L, database.counter(item), "the likes moved at once; only the end waits");
            runUntilDone(job, null);
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(FENCE_TIMEOUT) >= 0, "not before the fence timeout");
            assertEquals(1, database.count("SELECT count(*) FROM suspended_likes WHERE user_id = $1", user));
        } finally {
            // Back to the service's pool, so out of its transaction first.
            report.query("ROLLBACK").execute().await().indefinitely();
            report.close().await().indefinitely();
        }
    }

    /** Jobs are worked a page at a time through all that run: the first hundred waiting do not stop the next. */
    @Test
    void jobsWaitingForTheirFenceDoNotHoldTheLaterOnes() {
        SqlConnection report = pool.getConnection().await().indefinitely();
        List<String> waiting = new ArrayList<>();
        String user = fresh("erased-after-many");
        List<String> items = IntStream.range(0, 3).mapToObj(i -> fresh("later-item")).toList();
        items.forEach(item -> given().put("/v1/items/{item}/likes/{user}", item, user).then().statusCode(200));
        try {
            report.query("BEGIN ISOLATION LEVEL REPEATABLE READ").execute().await().indefinitely();
            report.query("SELECT 1").execute().await().indefinitely();
            for (int i = 0; i <= LifecycleJobs.PAGE; i++) {
                waiting.add(given().put("/v1/admin/users/{user}/suspension", fresh("waiting")).then().statusCode(202).extract().path("id"));
            }
            String erasure = given().delete("/v1/users/{user}/likes", user).then().statusCode(202).extract().path("id");
            jobs.pass().await().indefinitely();
            assertEquals(0, database.count("SELECT count(*) FROM likes WHERE user_id = $1", user),
                    "the erasure behind " + waiting.size() + " waiting jobs moved its likes in the same pass");
            given().get("/v1/lifecycle/jobs/{id}", erasure).then().body("state", equalTo("running"));
            report.query("COMMIT").execute().await().indefinitely();
            runUntilDone(erasure, null);
            waiting.forEach(job -> runUntilDone(job, null));
        } finally {
            // Back to the service's pool, so out of its transaction first.
            report.query("ROLLBACK").execute().await().indefinitely();
            report.close().await().indefinitely();
        }
    }

    @Test
    void anUnknownJobIsNotFound() {
        given().get("/v1/lifecycle/jobs/{id}", "00000000-0000-0000-0000-000000000000").then().statusCode(404)
                .contentType("application/problem+json");
        given().get("/v1/lifecycle/jobs/{id}", "not-a-job").then().statusCode(404);
    }

    /** Passes of the jobs until {@code job} is done; {@code racing} is what must end before it can be. */
    private void runUntilDone(String job, CompletableFuture<?> racing) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!"done".equals(given().get("/v1/lifecycle/jobs/{id}", job).then().statusCode(200).extract().path("state"))) {
            assertTrue(System.nanoTime() < deadline, "job " + job + " done within a minute");
            jobs.pass().await().indefinitely();
        }
        if (racing != null) {
            racing.join();
        }
        assertFalse(given().get("/v1/lifecycle/jobs/{id}", job).then().extract().path("finishedAt") == null);
    }
}
