import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a well-behaved user and the operator see while hostile traffic runs (src/bench/hostile):
 * a real live stream following one item, a like of that item every second (each like's delay from
 * its 200 to its count on the stream), the readiness probe every second, and the service's heap
 * (from its metrics) and RSS (from /proc) at their highest.
 */
final class Probe {

    private static final Pattern LIKES = Pattern.compile("\"likes\":(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    private final URI management;
    private final long pid;
    private final List<long[]> events = new CopyOnWriteArrayList<>(); // {nanoTime, likes}
    private final List<long[]> likes = new CopyOnWriteArrayList<>();  // {answered nanoTime, likes, status, millis}
    private final List<Integer> readiness = new CopyOnWriteArrayList<>();
    private volatile long heapMax;
    private volatile long rssMax;
    private volatile int streamsOpened;
    private volatile boolean liking = true;
    private volatile boolean watching = true;
    private volatile Socket stream;
    private String item;

    Probe(URI base, URI management, long pid) {
        this.base = base;
        this.management = management;
        this.pid = pid;
    }

    void start(String run) {
        item = "probe-" + run + "-" + System.currentTimeMillis();
        daemon(this::watch);
        daemon(() -> {
            for (int n = 0; liking; n++) {
                like(n);
                pause(1000);
            }
        });
        daemon(() -> {
            while (watching) {
                sample();
                pause(1000);
            }
        });
        pause(1000); // the stream is open (and has its first event) before the load starts
    }

    /** Stops liking, waits up to {@code graceSeconds} for the last likes to reach the stream, and reports. */
    Report stop(int graceSeconds) {
        liking = false;
        long deadline = System.nanoTime() + graceSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline && !allArrived()) {
            pause(100);
        }
        watching = false;
        Socket open = stream;
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        sample();
        return new Report();
    }

    private boolean allArrived() {
        return likes.stream().allMatch(like -> like[2] != 200 || arrival(like[1]) >= 0);
    }

    /** When the stream first showed at least {@code count} likes, or -1. */
    private long arrival(long count) {
        for (long[] event : events) {
            if (event[1] >= count) {
                return event[0];
            }
        }
        return -1;
    }

    /**
     * The real stream; opened again if the service ends it. Reads block (no read timeout, which
     * would drop a line half read when it fires); {@link #stop} closes the socket to end it.
     */
    private void watch() {
        while (watching) {
            try (Socket socket = new Socket()) {
                stream = socket;
                socket.bind(new InetSocketAddress("127.0.2.1", 0));
                socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
                socket.getOutputStream().write(("GET /v1/live/counts?ids=" + item + " HTTP/1.1\r\nHost: " + base.getHost()
                        + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                streamsOpened++;
                BufferedReader lines = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while (watching && (line = lines.readLine()) != null) {
                    Matcher count = LIKES.matcher(line);
                    if (line.startsWith("data:") && count.find()) {
                        events.add(new long[] {System.nanoTime(), Long.parseLong(count.group(1))});
                    }
                }
            } catch (IOException e) {
                pause(200);
            }
        }
    }

    private void like(int n) {
        long sent = System.nanoTime();
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(base.resolve("/v1/items/" + item + "/likes/probe-user-" + n))
                    .PUT(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher count = LIKES.matcher(answer.body());
            long now = System.nanoTime();
            likes.add(new long[] {now, count.find() ? Long.parseLong(count.group(1)) : -1, answer.statusCode(), (now - sent) / 1_000_000});
        } catch (IOException | InterruptedException e) {
            likes.add(new long[] {System.nanoTime(), -1, 0, (System.nanoTime() - sent) / 1_000_000});
        }
    }

    private void sample() {
        try {
            readiness.add(HTTP.send(HttpRequest.newBuilder(management.resolve("/q/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (IOException | InterruptedException e) {
            readiness.add(0);
        }
        try {
            String metrics = HTTP.send(HttpRequest.newBuilder(management.resolve("/q/metrics")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            long heap = metrics.lines().filter(line -> line.startsWith("jvm_memory_used_bytes{area=\"heap\""))
                    .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
            heapMax = Math.max(heapMax, heap);
        } catch (IOException | InterruptedException | RuntimeException e) {
            // a replica too busy to answer its metrics: the readiness sample says so
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rssMax = Math.max(rssMax, Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        } catch (IOException e) {
            // the process is gone: the report says so through its other figures
        }
    }

    private static void daemon(Runnable body) {
        Thread thread = new Thread(body);
        thread.setDaemon(true);
        thread.start();
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The figures, and whether the replica stayed well for the user and the operator. */
    final class Report {
        final int sent = likes.size();
        final long answered = likes.stream().filter(like -> like[2] == 200).count();
        final long slowest = likes.stream().mapToLong(like -> like[3]).max().orElse(0);
        final List<Long> delays = new ArrayList<>();
        final long missing;
        final long ready = readiness.stream().filter(status -> status == 200).count();

        Report() {
            long lost = 0;
            for (long[] like : likes) {
                if (like[2] != 200) {
                    continue;
                }
                long arrived = arrival(like[1]);
                if (arrived < 0) {
                    lost++;
                } else {
                    delays.add(Math.max(0, (arrived - like[0]) / 1_000_000));
                }
            }
            missing = lost;
            Collections.sort(delays);
        }

        long percentile(double p) {
            return delays.isEmpty() ? -1 : delays.get((int) Math.min(delays.size() - 1, Math.ceil(p * delays.size()) - 1));
        }

        boolean healthy() {
            return sent > 0 && answered == sent && missing == 0 && ready == readiness.size();
        }

        void print() {
            String others = likes.stream().filter(like -> like[2] != 200).map(like -> like[2] == 0 ? "no answer" : Long.toString(like[2]))
                    .collect(java.util.stream.Collectors.joining(", "));
            System.out.printf("real stream: %d likes, %d answered 200 (slowest %d ms%s), %d reached the stream (delay p50 %d ms, "
                    + "max %d ms), %d never did; stream opened %d time(s)%n", sent, answered, slowest,
                    others.isEmpty() ? "" : "; the others: " + others, delays.size(), percentile(0.5), percentile(1.0), missing, streamsOpened);
            System.out.printf("readiness: %d polls, %d answered 200; heap at most %.0f MiB, RSS at most %.0f MiB%n",
                    readiness.size(), ready, heapMax / 1048576.0, rssMax / 1048576.0);
        }
    }
}
