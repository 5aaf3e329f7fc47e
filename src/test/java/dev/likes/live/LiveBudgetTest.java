package dev.likes.live;

import static dev.likes.support.TestIds.fresh;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.likes.support.Metrics;
import dev.likes.support.RawStream;
import dev.likes.support.Management;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A replica's budget for live streams, behind a proxy: per-client caps count the address the proxy
 * forwards (from a trusted proxy only), and a flood of streams from many addresses is refused with
 * 503 and Retry-After once the replica's budget is spent, while likes, reads and health answer.
 */
@QuarkusTest
@TestProfile(LiveBudgetTest.SmallBudget.class)
class LiveBudgetTest {

    static final int PER_CLIENT = 2;
    static final int IDS_PER_STREAM = 50;
    static final int FOLLOWED = 10 * IDS_PER_STREAM;

    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "likes.live.max-streams-per-client", String.valueOf(PER_CLIENT),
                    "likes.live.max-followed", String.valueOf(FOLLOWED),
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1");
        }
    }

    @TestHTTPResource("/")
    URI base;

    final List<RawStream> open = new ArrayList<>();

    @AfterEach
    void closeStreams() throws InterruptedException {
        open.forEach(RawStream::close);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Metrics.value("likes_live_streams", "") != 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    @Test
    void aTrustedProxysForwardedAddressIsTheClient() {
        for (int i = 0; i < PER_CLIENT; i++) {
            assertEquals(200, stream("127.0.0.1", "203.0.113.7", fresh("fwd")).status());
        }
        RawStream third = stream("127.0.0.1", "203.0.113.7", fresh("fwd"));
        assertEquals(429, third.status());
        assertEquals("5", third.header("Retry-After"));
        assertEquals(200, stream("127.0.0.1", "203.0.113.8", fresh("fwd")).status(), "another browser behind the same proxy");
    }

    /** Behind a proxy that appends to X-Forwarded-For, what the client wrote itself is not its address. */
    @Test
    void aClientCannotPoseAsOthersThroughTheForwardedHeader() {
        for (int i = 0; i < PER_CLIENT; i++) {
            assertEquals(200, stream("127.0.0.1", "198.51.100." + i + ", 203.0.113.9", fresh("posing")).status());
        }
        assertEquals(429, stream("127.0.0.1", "198.51.100.99, 203.0.113.9", fresh("posing")).status(),
                "the address the proxy appended is the client, whatever stands before it");
    }

    @Test
    void anUntrustedSendersForwardedHeaderIsIgnored() {
        for (int i = 0; i < PER_CLIENT; i++) {
            assertEquals(200, stream("127.0.0.2", "198.51.100." + i, fresh("spoof")).status());
        }
        assertEquals(429, stream("127.0.0.2", "198.51.100.99", fresh("spoof")).status(),
                "a client that is not a trusted proxy cannot pose as others");
    }

    @Test
    void aFloodFromManyAddressesGets503WhileLikesReadsAndHealthAnswer() {
        int accepted = 0;
        int refused = 0;
        for (int address = 1; address <= 30; address++) {
            for (int i = 0; i < PER_CLIENT; i++) {
                String ids = IntStream.range(0, IDS_PER_STREAM).mapToObj(n -> fresh("flood")).collect(Collectors.joining(","));
                RawStream stream = stream("127.0.3." + address, null, ids);
                if (stream.status() == 200) {
                    accepted++;
                } else {
                    assertEquals(503, stream.status(), "beyond the budget: 503");
                    assertEquals("5", stream.header("Retry-After"));
                    assertEquals("application/problem+json", stream.header("Content-Type"));
                    refused++;
                }
            }
        }
        assertEquals(FOLLOWED / IDS_PER_STREAM, accepted, "streams until the followed ids reach the budget");
        assertEquals(60 - accepted, refused);
        assertEquals(FOLLOWED, Metrics.value("likes_live_followed", ""));

        String item = fresh("meanwhile");
        long start = System.nanoTime();
        when().put("/v1/items/{item}/likes/{user}", item, "ann").then().statusCode(200);
        when().get("/v1/items/{item}", item).then().statusCode(200);
        Management.given().get("/q/health/ready").then().statusCode(200);
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2000, "likes, reads and health answer at once");
    }

    /**
     * Streams opened and dropped as fast as 8 clients can, far beyond the budget: what the replica
     * holds for live counts never passes its ceiling (streams, followed items, items waiting for a
     * flush), a real stream still gets every count within a flush or two, and once the churn stops
     * nothing of the churned streams is left.
     */
    @Test
    void aChurnOfShortStreamsStaysWithinTheCeilingAndARealStreamStillGetsItsCounts() throws Exception {
        String item = fresh("followed-through-churn");
        Map<String, Double> highest = new ConcurrentHashMap<>();
        AtomicInteger churned = new AtomicInteger();
        AtomicBoolean churning = new AtomicBoolean(true);
        try (EventStream real = EventStream.open(base, item)) {
            assertEquals("{\"itemId\":\"" + item + "\",\"likes\":0}", real.next());
            List<Thread> load = new ArrayList<>();
            for (int client = 1; client <= 8; client++) {
                String from = "127.0.4." + client;
                load.add(started(() -> {
                    while (churning.get()) {
                        String ids = IntStream.range(0, IDS_PER_STREAM).mapToObj(n -> fresh("churn")).collect(Collectors.joining(","));
                        RawStream.open(base, from, null, ids).close();
                        churned.incrementAndGet();
                    }
                }));
            }
            load.add(started(() -> {
                while (churning.get()) {
                    for (String gauge : List.of("likes_live_streams", "likes_live_items", "likes_live_pending", "likes_live_followed")) {
                        highest.merge(gauge, Metrics.value(gauge, ""), Math::max);
                    }
                }
            }));
            try {
                for (int likes = 1; likes <= 5; likes++) {
                    when().put("/v1/items/{item}/likes/{user}", item, "fan-" + likes).then().statusCode(200);
                    // Within a flush or two, however many streams come and go meanwhile.
                    String expected = "{\"itemId\":\"" + item + "\",\"likes\":" + likes + "}";
                    assertEquals(expected, real.next(Duration.ofSeconds(3)));
                    Thread.sleep(500);
                }
            } finally {
                churning.set(false);
                for (Thread thread : load) {
                    thread.join();
                }
            }
            assertTrue(churned.get() > 10 * FOLLOWED / IDS_PER_STREAM, churned + " streams churned, far beyond the budget");
            assertTrue(highest.get("likes_live_followed") <= FOLLOWED, "followed ids " + highest);
            assertTrue(highest.get("likes_live_items") <= FOLLOWED, "items " + highest);
            assertTrue(highest.get("likes_live_pending") <= FOLLOWED, "items waiting for a flush " + highest);
            // Only the real stream is left, once the server has seen every churned one go.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((Metrics.value("likes_live_streams", "") != 1 || Metrics.value("likes_live_items", "") != 1)
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(1, Metrics.value("likes_live_streams", ""));
            assertEquals(1, Metrics.value("likes_live_items", ""));
            assertEquals(1, Metrics.value("likes_live_followed", ""));
            assertEquals(0, Metrics.value("likes_live_pending", ""));
        }
    }

    private static Thread started(Runnable body) {
        Thread thread = new Thread(body);
        thread.start();
        return thread;
    }

    private RawStream stream(String from, String forwardedFor, String ids) {
        RawStream stream = RawStream.open(base, from, forwardedFor, ids);
        open.add(stream);
        return stream;
    }
}
