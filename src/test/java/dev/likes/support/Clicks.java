package dev.likes.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Real concurrent clicks over HTTP: a pool of client threads that all start at the same moment,
 * each with its own connection, so that many requests are in flight at once.
 */
public final class Clicks {

    public record Click(String method, String itemId, String userId) {

        public static Click like(String itemId, String userId) {
            return new Click("PUT", itemId, userId);
        }

        public static Click unlike(String itemId, String userId) {
            return new Click("DELETE", itemId, userId);
        }
    }

    public record Answer(int status, JsonNode body) {

        public boolean changed() {
            return body.path("changed").asBoolean();
        }

        public long likes() {
            return body.path("likes").asLong(-1);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI base;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final AtomicLong longestOutage = new AtomicLong();
    private final Queue<EventLog.Change> changes = new ConcurrentLinkedQueue<>();

    public Clicks(URI base) {
        this.base = base;
    }

    /** Every change a 200 answer acknowledged so far, as its answer tells it (see {@link EventLog}). */
    public List<EventLog.Change> acknowledgedChanges() {
        return List.copyOf(changes);
    }

    /** The most requests that were in flight at once so far. */
    public int mostInFlight() {
        return mostInFlight.get();
    }

    /** Sends every click from {@code clients} threads released together; answers in the order of the clicks. */
    public List<Answer> concurrently(int clients, List<Click> clicks) {
        return concurrently(clients, clicks, this::send);
    }

    /** The same, with each click sent by {@code sender} (for instance with retries). */
    public List<Answer> concurrently(int clients, List<Click> clicks, Function<Click, Answer> sender) {
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Answer>> pending = new ArrayList<>();
            for (Click click : clicks) {
                pending.add(threads.submit(() -> {
                    start.await();
                    return sender.apply(click);
                }));
            }
            start.countDown();
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> answer : pending) {
                answers.add(answer.get());
            }
            return answers;
        } catch (Exception e) {
            throw new IllegalStateException("a click failed", e);
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * Sends a click until it is answered 200, retrying after a transport error or a 503 as a
     * frontend would (likes and unlikes are idempotent, so a retry never counts twice).
     */
    public Answer sendUntilAnswered(Click click, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        long failingSince = 0;
        while (true) {
            Answer answer;
            try {
                answer = send(click);
            } catch (UncheckedIOException e) {
                answer = null;
            }
            if (answer != null && answer.status() == 200) {
                if (failingSince != 0) {
                    longestOutage.accumulateAndGet(System.nanoTime() - failingSince, Math::max);
                }
                return answer;
            }
            if (answer != null && answer.status() != 503) {
                return answer;
            }
            failingSince = failingSince == 0 ? System.nanoTime() : failingSince;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(click + " still failing after " + patience);
            }
            sleep(20);
        }
    }

    /** The longest a single click went unanswered by retries (transport errors or 503s). */
    public Duration longestOutage() {
        return Duration.ofNanos(longestOutage.get());
    }

    /** Thread.sleep for test threads: an interrupt fails the test. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Answer send(Click click) {
        URI uri = base.resolve("/v1/items/" + click.itemId() + "/likes/" + click.userId());
        // Named after the click, so the service's logs can be matched with the click they belong to.
        HttpRequest request = HttpRequest.newBuilder(uri).method(click.method(), HttpRequest.BodyPublishers.noBody())
                .header("X-Request-Id", click.method() + ":" + click.itemId() + ":" + click.userId())
                .build();
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            Answer answer = new Answer(response.statusCode(), JSON.readTree(response.body()));
            if (answer.status() == 200 && answer.changed()) {
                changes.add(new EventLog.Change(click.method().equals("PUT") ? "liked" : "unliked", click.itemId(), click.userId(), answer.likes()));
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            inFlight.decrementAndGet();
        }
    }
}
