package dev.likes.ha;

import static dev.likes.support.TestIds.fresh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.likes.support.LocalPostgres;
import dev.likes.support.PackagedService;
import dev.likes.support.RawStream;
import dev.likes.support.Tokens;

/**
 * Two packaged replicas on one database, as production runs them (tokens, toggle limits of 10 per
 * item and 120 per user a minute, the 512 MiB pod's JVM): the limits hold across both, one of them
 * runs the background jobs and the other takes over when it dies, a like on one reaches a live
 * stream on the other, and a flood of live streams leaves a replica answering likes and health.
 */
class ReplicasIT {

    static final int DB_PORT = 54334;
    static final String BACKEND = Tokens.of("replicas-it", "likes:act-for-users");
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static LocalPostgres postgres;
    static PackagedService a;
    static PackagedService b;

    @BeforeAll
    static void startTwoReplicas() {
        postgres = LocalPostgres.primary(DB_PORT);
        // One after the other, so that the first migrates the empty database alone.
        a = replica("replica-a", 18091).start();
        b = replica("replica-b", 18092).start();
    }

    @AfterAll
    static void stopAll() {
        a.kill();
        b.kill();
        postgres.destroy();
    }

    static PackagedService replica(String name, int port) {
        return new PackagedService(name, port, DB_PORT, Map.of(
                "LIKES_JWT_ISSUER", Tokens.ISSUER,
                "LIKES_JWT_PUBLIC_KEY_LOCATION", "deploy/dev-keys/public.pem",
                "LIKES_AUTH_INSECURE_TRUST_PUBLISHED_DEV_KEY", "true",
                "LIKES_WINDOWS_AGING_INTERVAL", "1s",
                "LIKES_DRIFT_CHECK_INTERVAL", "1s"));
    }

    @Test
    void aUsersTogglesCountOnceAcrossBothReplicas() throws Exception {
        String item = fresh("toggled");
        String user = fresh("toggler");
        int changed = 0;
        int refused = 0;
        for (int i = 0; i < 30; i++) {
            PackagedService replica = i % 2 == 0 ? a : b;
            HttpResponse<String> answer = send(replica, i % 4 < 2 ? "PUT" : "DELETE", item, user);
            if (answer.statusCode() == 200 && answer.body().contains("\"changed\":true")) {
                changed++;
            } else if (answer.statusCode() == 429) {
                refused++;
            }
        }
        // Like, like, unlike, unlike, ...: every second request would change the like; 10 may.
        assertEquals(10, changed, "changes accepted in under a minute, through two replicas");
        // The 11th change and every later attempt to change (PUT twice while unliked, at i = 20, 21, 24, ...).
        assertEquals(6, refused);
    }

    @Test
    void oneReplicaRunsTheJobsAndTheOtherTakesOverWhenItDies() throws Exception {
        awaitOneLeader(Duration.ofSeconds(10));
        PackagedService leader = a.metric("likes_leader", "") == 1 ? a : b;
        PackagedService follower = leader == a ? b : a;
        Thread.sleep(3000);
        assertTrue(leader.metric("likes_job_runs_total", "job=\"window-aging\"") > 0, "the leader ages the windows");
        assertTrue(leader.metric("likes_job_runs_total", "job=\"drift-check\"") > 0, "and checks for drift");
        assertTrue(Double.isNaN(follower.metric("likes_job_runs_total", "job=\"window-aging\""))
                || follower.metric("likes_job_runs_total", "job=\"window-aging\"") == 0, "the other runs nothing");

        long killed = System.nanoTime();
        leader.kill();
        while (follower.metric("likes_leader", "") != 1) {
            assertTrue(System.nanoTime() - killed < Duration.ofSeconds(5).toNanos(), "took over within 5 s");
            Thread.sleep(50);
        }
        System.out.printf("leader killed with SIGKILL; the other replica took over in %d ms%n",
                Duration.ofNanos(System.nanoTime() - killed).toMillis());
        leader.start();
        Thread.sleep(2000);
        assertEquals(0, leader.metric("likes_leader", ""), "back, as a follower");
        assertEquals(1, follower.metric("likes_leader", ""));
    }

    @Test
    void aLikeThroughOneReplicaReachesALiveStreamOnTheOther() throws Exception {
        String item = fresh("across");
        HttpResponse<java.util.stream.Stream<String>> stream = HTTP.send(
                HttpRequest.newBuilder(b.base().resolve("/v1/live/counts?ids=" + item)).build(),
                HttpResponse.BodyHandlers.ofLines());
        try (var lines = stream.body()) {
            var events = lines.filter(line -> line.startsWith("data:")).iterator();
            assertTrue(events.next().contains("\"likes\":0"));
            assertEquals(200, send(a, "PUT", item, "ann").statusCode());
            assertTrue(events.next().contains("\"likes\":1"), "the like on replica A, live on replica B");
        }
    }

    /**
     * The flood that once filled a replica's heap: streams from 375 addresses, 8 each, each following
     * 100 ids of 64 characters, none of them reading. The replica takes what its budget allows (50,000
     * followed ids), refuses the rest with 503, and keeps answering likes, reads and health.
     */
    @Test
    void aFloodOfLiveStreamsIsRefusedBeyondTheBudgetWhileTheReplicaKeepsAnswering() throws Exception {
        List<RawStream> streams = new ArrayList<>();
        int accepted = 0;
        int refused = 0;
        try {
            for (int address = 0; address < 375; address++) {
                for (int i = 0; i < 8; i++) {
                    String ids = IntStream.range(0, 100).mapToObj(n -> padded(fresh("flood")))
                            .collect(Collectors.joining(","));
                    RawStream stream = RawStream.open(a.base(), "127.0." + (10 + address / 250) + "." + (1 + address % 250),
                            null, ids);
                    streams.add(stream);
                    if (stream.status() == 200) {
                        accepted++;
                    } else {
                        assertEquals(503, stream.status());
                        assertEquals("5", stream.header("Retry-After"));
                        refused++;
                    }
                }
            }
            long start = System.nanoTime();
            String item = fresh("during-flood");
            assertEquals(200, send(a, "PUT", item, "ann").statusCode());
            a.get("/v1/items/" + item);
            a.get(a.management(), "/q/health/ready");
            long tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            double heapMb = a.metric("jvm_memory_used_bytes", "area=\"heap\"") / 1e6;
            System.out.printf("live-stream flood: %d streams accepted, %d refused with 503; a like, a read and the "
                    + "health check took %d ms together; heap in use %.0f MB%n", accepted, refused, tookMillis, heapMb);
            assertEquals(500, accepted, "50,000 followed ids, 100 a stream");
            assertEquals(3000 - 500, refused);
            assertTrue(tookMillis < 3000, "likes, reads and health answer during the flood");
        } finally {
            streams.forEach(RawStream::close);
        }
        a.get(a.management(), "/q/health/live");
    }

    private static String padded(String id) {
        return (id + "-".repeat(64)).substring(0, 64);
    }

    private static HttpResponse<String> send(PackagedService replica, String method, String item, String user) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(replica.base().resolve("/v1/items/" + item + "/likes/" + user))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + BACKEND).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitOneLeader(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (a.metric("likes_leader", "") + b.metric("likes_leader", "") != 1) {
            assertTrue(System.nanoTime() < deadline, "one leader within " + patience);
            Thread.sleep(100);
        }
    }
}
