package dev.likes.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A live-stream request sent from a chosen loopback address (Linux routes all of 127.0.0.0/8 to the
 * loopback interface), optionally through a pretend proxy's X-Forwarded-For, by a client that reads
 * the answer's head and then nothing more: the slowest client a replica can have.
 */
public final class RawStream implements AutoCloseable {

    private final Socket socket;
    private final String head;

    private RawStream(Socket socket, String head) {
        this.socket = socket;
        this.head = head;
    }

    /** Opens {@code GET /v1/live/counts?ids=...} from {@code localAddress}; the answer's head is read. */
    public static RawStream open(URI base, String localAddress, String forwardedFor, String ids) {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.setSoTimeout(10_000);
            String request = "GET /v1/live/counts?ids=" + ids + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
                    + "Accept: text/event-stream\r\n"
                    + (forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor + "\r\n") + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new RawStream(socket, readHead(socket.getInputStream()));
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new UncheckedIOException(e);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** The answer's status code. */
    public int status() {
        return Integer.parseInt(head.substring(9, 12));
    }

    /** A header of the answer, or null. */
    public String header(String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
