package dev.likes.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Requests that the HTTP layer refuses before the application sees them answer problem+json like
 * every other error: too long a request line or headers, too large a body; a 405 says what is
 * allowed. A broken %-escape is refused too, still without a body. Sent as raw bytes, since a client library would refuse to send them.
 */
@QuarkusTest
class HttpLayerRefusalsTest {

    @TestHTTPResource("/")
    URI base;

    /** Refused before any route of the service runs: a 400 without a body (see RawRequestGuard). */
    @Test
    void aBrokenPercentEscapeIsABadRequest() throws IOException {
        assertEquals(400, status(send("GET /v1/items/%zz HTTP/1.1\r\nHost: x\r\n\r\n")));
        assertEquals(400, status(send("PUT /v1/items/a/likes/b%2 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")));
        assertEquals(400, status(send("GET /v1/items?ids=a%zz HTTP/1.1\r\nHost: x\r\n\r\n")));
    }

    @Test
    void tooLongARequestLineIsRefused() throws IOException {
        assertProblem(send("GET /v1/items?ids=" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414);
    }

    @Test
    void tooLargeHeadersAreRefused() throws IOException {
        assertProblem(send("GET /v1/items/a HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(18_000) + "\r\n\r\n"), 431);
    }

    /** Beyond the HTTP layer's own limits (16 KiB of request line, 20 KiB of headers): its bare status, and nothing more is read. */
    @Test
    void farTooLongARequestLineOrHeadersGetTheHttpLayersRefusal() throws IOException {
        assertEquals(414, status(send("GET /v1/items?ids=" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n")));
        assertEquals(431, status(send("GET /v1/items/a HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(30_000) + "\r\n\r\n")));
    }

    @Test
    void tooLargeABodyIsRefusedAndTheConnectionEnds() throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5000);
            // A body declared far over the limit, of which only the head is sent.
            socket.getOutputStream().write(("PUT /v1/items/a/likes/b HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 1000000000\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                answer.write(buffer, 0, n);
            }
            // read() answered -1: the server ended the connection rather than wait for the body.
            assertProblem(answer.toString(StandardCharsets.ISO_8859_1), 413);
        }
    }

    @Test
    void aWrongMethodSaysWhatIsAllowed() throws IOException {
        String answer = send("POST /v1/items/a/likes/b HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        assertProblem(answer, 405);
        String allow = header(answer, "Allow");
        assertEquals("DELETE, GET, HEAD, PUT", allow, answer);
        assertEquals("GET, HEAD", header(send("DELETE /v1/rankings HTTP/1.1\r\nHost: x\r\n\r\n"), "Allow"));
    }

    private static int status(String answer) {
        assertTrue(answer.length() >= 12, "no answer: '" + answer + "'");
        return Integer.parseInt(answer.substring(9, 12));
    }

    private static void assertProblem(String answer, int status) {
        assertEquals(status, status(answer), answer);
        assertTrue(String.valueOf(header(answer, "Content-Type")).startsWith("application/problem+json"), answer);
        assertTrue(answer.contains("\"status\":" + status), answer);
    }

    private static String header(String answer, String name) {
        for (String line : answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n"))).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    /** Sends raw bytes; answers what came back until the server closed or went quiet for a second. */
    private String send(String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(1000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    answer.write(buffer, 0, n);
                    if (complete(answer.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (IOException quietOrReset) {
                // what came so far is the answer
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** A head and a body of its Content-Length. */
    private static boolean complete(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String length = header(answer, "Content-Length");
        return length != null && answer.length() - end - 4 >= Integer.parseInt(length);
    }
}
