import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Live-stream churn against one replica (src/bench/hostile/run.sh): from many loopback addresses,
 * streams of many random ids opened and dropped as soon as their head arrives, as fast as the
 * workers can, while a real stream follows one item that gets a like every second ({@link Probe}).
 * Prints what the churn got (statuses, streams per second), the service's heap and RSS at their
 * highest, and what the real stream saw: each like's delay from its 200 to its count on the stream.
 * <pre>
 * java Churn.java URL MGMT_URL PID SECONDS [ADDRESSES] [IDS_PER_STREAM] [WORKERS]
 * </pre>
 * No token: the stream and the likes are sent as an anonymous client of a service with
 * authentication off would send them (the churn needs none in any case: live counts are public).
 */
public class Churn {

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        Probe probe = new Probe(base, URI.create(args[1]), Long.parseLong(args[2]));
        long seconds = Long.parseLong(args[3]);
        int addresses = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        int idsPerStream = args.length > 5 ? Integer.parseInt(args[5]) : 100;
        int workers = args.length > 6 ? Integer.parseInt(args[6]) : 64;

        Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        probe.start("churn");
        Thread[] threads = new Thread[workers];
        for (int w = 0; w < workers; w++) {
            String from = "127.0.1." + (w % addresses + 1);
            threads[w] = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    String ids = IntStream.range(0, idsPerStream)
                            .mapToObj(n -> "churn-" + ThreadLocalRandom.current().nextInt(10_000_000))
                            .collect(Collectors.joining(","));
                    statuses.computeIfAbsent(openAndDrop(base, from, ids), key -> new LongAdder()).increment();
                }
            });
            threads[w].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double took = (System.nanoTime() - start) / 1e9;
        long streams = statuses.values().stream().mapToLong(LongAdder::sum).sum();
        // The real stream is watched a while longer: a like of the last seconds may still arrive.
        Probe.Report report = probe.stop(10);
        System.out.printf("churn: %d streams in %.1f s (%.0f/s) from %d addresses, %d ids each: %s%n", streams, took,
                streams / took, addresses, idsPerStream, new java.util.TreeMap<>(statuses));
        report.print();
        System.exit(report.healthy() ? 0 : 1);
    }

    /** One stream opened and dropped as soon as its head arrived; answers its status (or why there was none). */
    static String openAndDrop(URI base, String from, String ids) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /v1/live/counts?ids=" + ids + " HTTP/1.1\r\nHost: " + base.getHost()
                    + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String head = readHead(socket.getInputStream());
            return head.length() >= 12 ? head.substring(9, 12) : "no answer";
        } catch (IOException e) {
            return e.getClass().getSimpleName();
        }
    }

    static String readHead(InputStream in) throws IOException {
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
}
