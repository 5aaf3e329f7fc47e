package dev.likes.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

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

    public Clicks(URI base) {
        this.base = base;
    }

    /** The most requests that were in flight at once so far. */
    public int mostInFlight() {
        return mostInFlight.get();
    }

    /** Sends every click from {@code clients} threads released together; answers in the order of the clicks. */
    public List<Answer> concurrently(int clients, List<Click> clicks) {
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Answer>> pending = new ArrayList<>();
            for (Click click : clicks) {
                pending.add(threads.submit(() -> {
                    start.await();
                    return send(click);
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

    public Answer send(Click click) {
        URI uri = base.resolve("/v1/items/" + click.itemId() + "/likes/" + click.userId());
        HttpRequest request = HttpRequest.newBuilder(uri).method(click.method(), HttpRequest.BodyPublishers.noBody()).build();
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), JSON.readTree(response.body()));
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
