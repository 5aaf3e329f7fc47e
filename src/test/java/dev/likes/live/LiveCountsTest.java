package dev.likes.live;

import static dev.likes.support.TestIds.fresh;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

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

/** Live counts: the current counts, then every change, through PostgreSQL, coalesced, bounded. */
@QuarkusTest
class LiveCountsTest {

    @TestHTTPResource("/")
    URI base;
    @Inject
    Database database;
    @Inject
    LifecycleJobs lifecycle;

    @Test
    void aStreamStartsWithTheCurrentCountsThenFollowsEveryChange() throws Exception {
        String a = fresh("live");
        String b = fresh("live");
        when().put("/v1/items/{item}/likes/{user}", a, "ann").then().statusCode(200);
        try (EventStream stream = open(a + "," + b)) {
            assertEquals(Set.of("{\"itemId\":\"" + a + "\",\"likes\":1}", "{\"itemId\":\"" + b + "\",\"likes\":0}"),
                    Set.of(stream.next(), stream.next()));

            when().put("/v1/items/{item}/likes/{user}", b, "bob").then().statusCode(200);
            assertEquals("{\"itemId\":\"" + b + "\",\"likes\":1}", stream.next());
            when().delete("/v1/items/{item}/likes/{user}", a, "ann").then().statusCode(200);
            assertEquals("{\"itemId\":\"" + a + "\",\"likes\":0}", stream.next());
        }
    }

    @Test
    void aChangeCommittedByAnotherReplicaArrivesThroughPostgres() throws Exception {
        String item = fresh("live");
        try (EventStream stream = open(item)) {
            stream.next();
            // What another replica's like does, in SQL: nothing of this replica's is involved.
            database.update(new ClickStatement(Direction.LIKE, ClickStatement.Limits.OFF, ClickStatement.Events.OFF).sql(), new String[] {item}, new String[] {"ann"}, OffsetDateTime.now());
            database.update(CountAnnouncer.NOTIFY, new String[] {item}, System.currentTimeMillis());
            assertEquals("{\"itemId\":\"" + item + "\",\"likes\":1}", stream.next());
        }
    }

    @Test
    void countsThatALifecycleJobChangesReachTheStreams() throws Exception {
        String item = fresh("live");
        String user = fresh("suspended");
        when().put("/v1/items/{item}/likes/{user}", item, user).then().statusCode(200);
        when().put("/v1/items/{item}/likes/{user}", item, "bob").then().statusCode(200);
        try (EventStream stream = open(item)) {
            assertEquals("{\"itemId\":\"" + item + "\",\"likes\":2}", stream.next());
            String job = when().put("/v1/admin/users/{user}/suspension", user).then().statusCode(202).extract().path("id");
            while (!"done".equals(when().get("/v1/lifecycle/jobs/{id}", job).then().extract().path("state"))) {
                lifecycle.pass().await().indefinitely();
            }
            assertEquals("{\"itemId\":\"" + item + "\",\"likes\":1}", stream.next());
        }
    }

    @Test
    void aBurstOnOneItemIsCoalescedToAFewEventsEndingWithTheLatestCount() throws Exception {
        String item = fresh("viral");
        try (EventStream stream = open(item)) {
            stream.next();
            List<Click> likes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                likes.add(Click.like(item, "user-" + i));
            }
            new Clicks(base).concurrently(16, likes);
            List<String> events = new ArrayList<>();
            String last = "";
            while (!last.contains("\"likes\":200")) {
                last = stream.next();
                events.add(last);
            }
            assertTrue(events.size() < 20, "200 likes came as " + events.size() + " events: " + events);
        }
    }

    @Test
    void idleStreamsGetHeartbeats() throws Exception {
        try (EventStream stream = open(fresh("quiet"))) {
            stream.next();
            String comment = stream.nextLine(line -> line.startsWith(":"), Duration.ofSeconds(3));
            assertTrue(comment.contains("heartbeat"), comment);
        }
    }

    @Test
    void aClientHasAtMostEightStreamsAndClosedOnesAreFreed() throws Exception {
        awaitStreams(0); // the other tests' streams are closed, but the server may not have noticed yet
        List<EventStream> streams = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                streams.add(open(fresh("cap")));
                streams.get(i).next();
            }
            given().get("/v1/live/counts?ids=one-too-many").then().statusCode(429).contentType("application/problem+json")
                    .header("Retry-After", "5");
        } finally {
            streams.forEach(EventStream::close);
        }
        awaitStreams(0);
        try (EventStream again = open(fresh("cap"))) {
            again.next();
        }
    }

    @Test
    void badIdsAreRefusedBeforeAnyStreamOpens() {
        for (String ids : List.of("", "a%20b", "a,,b", String.join(",", java.util.Collections.nCopies(101, "x")))) {
            given().urlEncodingEnabled(false).get("/v1/live/counts?ids=" + ids)
                    .then().statusCode(400).contentType("application/problem+json");
        }
    }

    private static void awaitStreams(int open) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Metrics.value("likes_live_streams", "") != open && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(open, Metrics.value("likes_live_streams", ""), "streams open; closed ones are cleaned up");
    }

    private EventStream open(String ids) throws Exception {
        return EventStream.open(base, ids);
    }
}
