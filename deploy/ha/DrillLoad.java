import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load of one HA drill (deploy/ha/drill.sh): likes and unlikes whose final state is known, so
 * that the database can be checked against it afterwards. JDK 17 only:
 *
 * <pre>
 *   java deploy/ha/DrillLoad.java token=FILE ns=d1 stop=FILE expected=FILE [timeline=FILE]
 *        [url=http://127.0.0.1:28080] [seconds=300] [workers=64] [users=2000] [items=50] [readers=4]
 * </pre>
 *
 * Pair (item, user) number p is item {@code ns-i(p % items)}, user {@code ns-u(p / items)}; worker w
 * owns the pairs with p % workers == w, so no two threads ever touch one pair and each worker knows
 * the state of its pairs. A worker picks one of its pairs at random and asks for the opposite of
 * the state it believes: PUT to like, DELETE to unlike. It repeats that request until it gets 200
 * (the answer's {@code liked} is then the pair's state) or 429 (nothing changed); on 503 (after
 * Retry-After, at most 1 s), any other status, a broken connection or a timeout it tries again.
 * Likes and unlikes are idempotent, so a repeat after a lost answer changes nothing.
 * Random picks over many pairs keep each user far below the service's toggle limits.
 *
 * Runs until the stop file appears (or {@code seconds} pass), lets every worker finish its
 * request, prints one line of key=value fields (answers by status; s503_proxy: the 503s that came
 * from HAProxy, not the service; hangs: requests of 10 s or more; outage_s: the longest time without
 * a successful write, starting at outage_from_s; unresolved: requests still failing 30 s after the
 * stop, whose pair's state is unknown) and writes {@code expected}: one "item,user" line per pair
 * believed liked. {@code timeline} gets one line per second: second, successful writes,
 * failed write attempts.
 */
public class DrillLoad {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** After the stop, how long a worker may go on retrying its last request before giving up. */
    static final long DRAIN_NANOS = Duration.ofSeconds(30).toNanos();
    static final Pattern LIKED = Pattern.compile("\"liked\"\\s*:\\s*(true|false)");
    static final Pattern CHANGED = Pattern.compile("\"changed\"\\s*:\\s*(true|false)");

    final String url;
    final String token;
    final String ns;
    final int workers;
    final int users;
    final int items;
    final HttpClient http;
    final long start = System.nanoTime();
    final AtomicBoolean stopping = new AtomicBoolean();
    volatile long stoppedAt;

    final LongAdder s200 = new LongAdder(), s429 = new LongAdder(), s503 = new LongAdder(), s503Proxy = new LongAdder();
    final LongAdder s500 = new LongAdder();
    final LongAdder otherStatus = new LongAdder(), ioErrors = new LongAdder(), hangs = new LongAdder();
    final LongAdder changed = new LongAdder(), unresolved = new LongAdder();
    final LongAdder reads = new LongAdder(), readsFailed = new LongAdder();
    final Map<String, LongAdder> readFailures = new ConcurrentHashMap<>(); // by status, or "io"
    final LongAdder failedThisSecond = new LongAdder(), okThisSecond = new LongAdder();

    // The longest time without a successful write: the largest gap between consecutive successes
    // (0: none yet; the time before the first one is warm-up, not an outage).
    long lastSuccess;
    long longestGap;
    long longestGapFrom = start;

    DrillLoad(Map<String, String> opt) throws IOException {
        url = opt.getOrDefault("url", "http://127.0.0.1:28080");
        token = Files.readString(Path.of(required(opt, "token"))).trim();
        ns = required(opt, "ns");
        workers = Integer.parseInt(opt.getOrDefault("workers", "64"));
        users = Integer.parseInt(opt.getOrDefault("users", "2000"));
        items = Integer.parseInt(opt.getOrDefault("items", "50"));
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    public static void main(String[] args) throws Exception {
        // Idle pooled connections are dropped before HAProxy's keep-alive timeout (30 s) closes them
        // under us. Must be set before the HTTP client is first used.
        System.setProperty("jdk.httpclient.keepalive.timeout", "20");
        Map<String, String> opt = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("arguments are key=value; got " + arg);
            }
            opt.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        new DrillLoad(opt).run(Path.of(required(opt, "stop")), Path.of(required(opt, "expected")),
                opt.containsKey("timeline") ? Path.of(opt.get("timeline")) : null,
                Long.parseLong(opt.getOrDefault("seconds", "300")),
                Integer.parseInt(opt.getOrDefault("readers", "4")));
    }

    static String required(Map<String, String> opt, String key) {
        String value = opt.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing argument " + key + "=...");
        }
        return value;
    }

    void run(Path stopFile, Path expected, Path timeline, long maxSeconds, int readers) throws Exception {
        List<Worker> writers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Worker worker = new Worker(w);
            writers.add(worker);
            threads.add(new Thread(worker::run, "writer-" + w));
        }
        for (int r = 0; r < readers; r++) {
            threads.add(new Thread(this::read, "reader-" + r));
        }
        threads.forEach(Thread::start);

        try (PrintWriter tl = timeline == null ? null : new PrintWriter(Files.newBufferedWriter(timeline), true)) {
            long deadline = start + Duration.ofSeconds(maxSeconds).toNanos();
            long nextTick = start + 1_000_000_000L;
            int second = 0;
            while (!Files.exists(stopFile) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                if (System.nanoTime() >= nextTick) {
                    nextTick += 1_000_000_000L;
                    second++;
                    long ok = okThisSecond.sumThenReset(), failed = failedThisSecond.sumThenReset();
                    if (tl != null) {
                        tl.println(second + " " + ok + " " + failed);
                    }
                }
            }
        }
        stoppedAt = System.nanoTime();
        stopping.set(true);
        for (Thread t : threads) {
            t.join();
        }

        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(expected))) {
            for (Worker w : writers) {
                w.writeLiked(out);
            }
        }
        long likedPairs = writers.stream().mapToLong(Worker::likedCount).sum();
        long gap;
        double gapFrom;
        synchronized (this) {
            // A run that ends inside an outage: the time from the last success to the stop counts too.
            long last = lastSuccess == 0 ? start : lastSuccess;
            if (stoppedAt - last > longestGap) {
                longestGap = stoppedAt - last;
                longestGapFrom = last;
            }
            gap = longestGap;
            gapFrom = (longestGapFrom - start) / 1e9;
        }
        StringBuilder readErrors = new StringBuilder();
        new TreeMap<>(readFailures).forEach((kind, n) -> readErrors.append(readErrors.length() == 0 ? "" : ",").append(kind).append(':').append(n.sum()));
        System.out.printf("drill=%s seconds=%.1f s200=%d changed=%d s429=%d s503=%d s503_proxy=%d s500=%d other=%d io=%d"
                        + " hangs=%d outage_s=%.2f outage_from_s=%.1f reads=%d reads_failed=%d read_errors=%s liked=%d"
                        + " unresolved=%d%n",
                ns, (stoppedAt - start) / 1e9, s200.sum(), changed.sum(), s429.sum(), s503.sum(), s503Proxy.sum(),
                s500.sum(), otherStatus.sum(), ioErrors.sum(), hangs.sum(), gap / 1e9, gapFrom, reads.sum(),
                readsFailed.sum(), readErrors.length() == 0 ? "-" : readErrors, likedPairs, unresolved.sum());
    }

    synchronized void success(long now) {
        if (lastSuccess == 0) {
            lastSuccess = now;
        } else if (now > lastSuccess) {
            if (now - lastSuccess > longestGap) {
                longestGap = now - lastSuccess;
                longestGapFrom = lastSuccess;
            }
            lastSuccess = now;
        }
    }

    final class Worker {
        final int[] pairs;
        final boolean[] liked;
        final SplittableRandom random;

        Worker(int w) {
            int n = (users * items - w + workers - 1) / workers;
            pairs = new int[Math.max(n, 0)];
            for (int i = 0; i < pairs.length; i++) {
                pairs[i] = w + i * workers;
            }
            liked = new boolean[pairs.length];
            random = new SplittableRandom(w * 7919L + ns.hashCode());
        }

        void run() {
            while (!stopping.get() && pairs.length > 0) {
                toggle(random.nextInt(pairs.length));
            }
        }

        /** Sends the opposite of pair k's state until the service answers 200 or 429. */
        void toggle(int k) {
            boolean like = !liked[k];
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/v1/items/" + item(pairs[k]) + "/likes/" + user(pairs[k])))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Authorization", "Bearer " + token)
                    .method(like ? "PUT" : "DELETE", HttpRequest.BodyPublishers.noBody())
                    .build();
            while (true) {
                if (stopping.get() && System.nanoTime() - stoppedAt > DRAIN_NANOS) {
                    unresolved.increment(); // its state is unknown: the exactness check cannot be trusted
                    return;
                }
                long sent = System.nanoTime();
                long pause = 100;
                try {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    long now = System.nanoTime();
                    countHang(sent, now);
                    int status = response.statusCode();
                    if (status == 200) {
                        s200.increment();
                        okThisSecond.increment();
                        success(now);
                        liked[k] = flag(LIKED, response.body());
                        if (flag(CHANGED, response.body())) {
                            changed.increment();
                        }
                        return;
                    }
                    if (status == 429) {
                        s429.increment();
                        return;
                    }
                    failedThisSecond.increment();
                    if (status == 503) {
                        s503.increment();
                        if (fromProxy(response)) {
                            s503Proxy.increment();
                        }
                        pause = response.headers().firstValueAsLong("Retry-After").orElse(1) * 1000;
                    } else if (status == 500) {
                        s500.increment();
                    } else {
                        otherStatus.increment();
                    }
                } catch (IOException e) { // a timeout (HttpTimeoutException) is one too
                    countHang(sent, System.nanoTime());
                    ioErrors.increment();
                    failedThisSecond.increment();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                sleep(Math.min(pause, 1000));
            }
        }

        long likedCount() {
            long n = 0;
            for (boolean b : liked) {
                n += b ? 1 : 0;
            }
            return n;
        }

        void writeLiked(PrintWriter out) {
            for (int i = 0; i < pairs.length; i++) {
                if (liked[i]) {
                    out.println(item(pairs[i]) + "," + user(pairs[i]));
                }
            }
        }
    }

    /** Public batch reads of the drill's first (up to) 50 items: they must keep answering 200. */
    void read() {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < Math.min(items, 50); i++) {
            ids.append(i == 0 ? "" : ",").append(ns).append("-i").append(i);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/v1/items?ids=" + ids)).timeout(REQUEST_TIMEOUT).build();
        while (!stopping.get()) {
            reads.increment();
            long sent = System.nanoTime();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                countHang(sent, System.nanoTime());
                if (response.statusCode() != 200) {
                    readFailed(response.statusCode() + (fromProxy(response) ? "-proxy" : ""));
                }
            } catch (IOException e) {
                countHang(sent, System.nanoTime());
                readFailed("io");
            } catch (InterruptedException e) {
                return;
            }
            sleep(50); // a probe, not load: the writers are the load
        }
    }

    void readFailed(String kind) {
        readsFailed.increment();
        readFailures.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    /**
     * The service answers errors as application/problem+json; HAProxy's own answers (no replica
     * ready, or one that died) are HTML.
     */
    static boolean fromProxy(HttpResponse<String> response) {
        return !response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
    }

    void countHang(long sent, long answered) {
        if (answered - sent >= REQUEST_TIMEOUT.toNanos()) {
            hangs.increment();
        }
    }

    String item(int pair) {
        return ns + "-i" + (pair % items);
    }

    String user(int pair) {
        return ns + "-u" + (pair / items);
    }

    static boolean flag(Pattern pattern, String body) {
        Matcher m = pattern.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("unexpected answer: " + body);
        }
        return Boolean.parseBoolean(m.group(1));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
