package dev.likes.http;

import static dev.likes.support.TestIds.fresh;
import static io.restassured.RestAssured.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.likes.support.Metrics;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Clients too slow to send a request head are cut off after the header timeout (1 s here), however
 * often they send a byte; a connection between requests, or a live stream, is not.
 */
@QuarkusTest
@TestProfile(SlowClientTest.ShortHeaderTimeout.class)
class SlowClientTest {

    static final Duration HEADER_TIMEOUT = Duration.ofSeconds(1);

    public static class ShortHeaderTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("likes.http.header-timeout", "1s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void aClientThatDribblesItsHeadIsCutOffAfterTheHeaderTimeout() throws IOException {
        double before = Metrics.value("likes_http_slow_clients_total", "");
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write("GET /v1/items/slow HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            Duration cutOff = dribbleUntilClosed(socket, start);
            assertTrue(cutOff.compareTo(HEADER_TIMEOUT) >= 0 && cutOff.compareTo(HEADER_TIMEOUT.multipliedBy(4)) < 0,
                    "cut off after " + cutOff.toMillis() + " ms");
        }
        assertEquals(before + 1, Metrics.value("likes_http_slow_clients_total", ""));
        when().get("/v1/items/{item}", fresh("meanwhile")).then().statusCode(200);
    }

    @Test
    void aConnectionThatSendsNothingIsCutOffToo() throws IOException {
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            socket.setSoTimeout(10_000);
            assertEquals(-1, socket.getInputStream().read(), "closed without an answer");
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(HEADER_TIMEOUT.multipliedBy(4)) < 0);
        }
    }

    @Test
    void betweenRequestsTheIdleTimeoutAppliesAndTheNextHeadHasItsOwnDeadline() throws IOException, InterruptedException {
        try (Socket socket = connect()) {
            String request = "GET /v1/items/kept HTTP/1.1\r\nHost: x\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            assertTrue(readAnswer(socket).startsWith("HTTP/1.1 200"));
            Thread.sleep(HEADER_TIMEOUT.multipliedBy(2).toMillis()); // idle, not slow: kept open
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            assertTrue(readAnswer(socket).startsWith("HTTP/1.1 200"), "a keep-alive connection idle for 2 s still serves");

            long start = System.nanoTime();
            socket.getOutputStream().write("GET /v1/items/slow HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            Duration cutOff = dribbleUntilClosed(socket, start);
            assertTrue(cutOff.compareTo(HEADER_TIMEOUT.multipliedBy(4)) < 0, "the next head's deadline: " + cutOff.toMillis() + " ms");
        }
    }

    @Test
    void aLiveStreamOutlivesTheHeaderTimeout() throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("GET /v1/live/counts?ids=" + fresh("watched") + " HTTP/1.1\r\nHost: x\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            long start = System.nanoTime();
            StringBuilder seen = new StringBuilder();
            // Heartbeats come every second (the test profile): three timeouts later, still streaming.
            while (System.nanoTime() - start < HEADER_TIMEOUT.multipliedBy(3).toNanos()) {
                int b = in.read();
                assertTrue(b >= 0, "the stream ended: " + seen);
                seen.append((char) b);
            }
            assertTrue(seen.toString().contains(":heartbeat") || seen.toString().contains(": heartbeat"), seen.toString());
        }
    }

    private Socket connect() throws IOException {
        return new Socket(base.getHost(), base.getPort());
    }

    /** Sends a header byte every 200 ms until the server closes; answers how long after {@code start}. */
    private static Duration dribbleUntilClosed(Socket socket, long start) throws IOException {
        socket.setSoTimeout(200);
        InputStream in = socket.getInputStream();
        while (System.nanoTime() - start < Duration.ofSeconds(30).toNanos()) {
            try {
                if (in.read() < 0) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
                throw new AssertionError("an answer to a head that never ended");
            } catch (SocketTimeoutException quiet) {
                try {
                    socket.getOutputStream().write('X');
                } catch (IOException reset) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            } catch (IOException reset) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
        }
        throw new AssertionError("still open after 30 s");
    }

    /** One whole answer (head and a Content-Length body). */
    private static String readAnswer(Socket socket) throws IOException {
        socket.setSoTimeout(5000);
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        in.readNBytes(length);
        return head.toString();
    }
}
