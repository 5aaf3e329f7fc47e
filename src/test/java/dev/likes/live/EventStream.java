package dev.likes.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A live-count stream as a browser reads it: its lines, read in the background. */
final class EventStream implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Stream<String> body;

    private EventStream(Stream<String> body) {
        this.body = body;
        Thread reader = new Thread(() -> {
            try {
                body.forEach(lines::add);
            } catch (RuntimeException closed) {
                // the test closed the stream
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    /** {@code GET /v1/live/counts?ids=...}, answered 200. */
    static EventStream open(URI base, String ids) throws Exception {
        HttpResponse<Stream<String>> response = HTTP.send(
                HttpRequest.newBuilder(base.resolve("/v1/live/counts?ids=" + ids)).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        return new EventStream(response.body());
    }

    /** The data of the next "count" event. */
    String next() throws InterruptedException {
        return next(Duration.ofSeconds(5));
    }

    /** The data of the next "count" event within {@code patience}. */
    String next(Duration patience) throws InterruptedException {
        String line = nextLine(text -> text.startsWith("data:"), patience);
        return line.substring("data:".length()).strip();
    }

    String nextLine(Predicate<String> wanted, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no such line within " + patience);
            }
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    @Override
    public void close() {
        body.close();
    }
}
