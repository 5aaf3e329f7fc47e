import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The load of one drill (deploy/ha/drill.sh, deploy/citus/drill.sh): likes and unlikes whose final
 * state is known, so that the database can be checked against it afterwards. Compiled and run by
 * the drills (drill-lib.sh's drill_load); by hand, on JDK 17:
 *
 * <pre>
 *   javac -d /tmp/load deploy/load/*.java
 *   java -cp /tmp/load DrillLoad token=FILE ns=d1 stop=FILE expected=FILE [timeline=FILE]
 *        [url=http://127.0.0.1:28080] [seconds=300] [workers=64] [users=2000] [items=50] [readers=4]
 * </pre>
 *
 * Pair (item, user) number p is item {@code ns-i(p % items)}, user {@code ns-u(p / items)}; each of
 * the {@code workers} writers ({@link Writer}) owns its pairs; {@code readers} probe the public batch
 * read ({@link Reader}). Random picks over many pairs keep each user far below the service's toggle
 * limits.
 *
 * Runs until the stop file appears (or {@code seconds} pass), lets every writer finish its request,
 * prints one line of key=value fields ({@link Tally#summary}: answers by status; s503_proxy: the
 * 503s that came from HAProxy, not the service; hangs: requests of 10 s or more; outage_s: the
 * longest time without a successful write, starting at outage_from_s; unresolved: requests still
 * failing 30 s after the stop, whose pair's state is unknown) and writes {@code expected}: one
 * "item,user" line per pair believed liked. {@code timeline} gets one line per second: second,
 * successful writes, failed write attempts.
 */
public class DrillLoad {

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
        run(new Run(opt), Path.of(required(opt, "stop")), Path.of(required(opt, "expected")),
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

    static void run(Run run, Path stopFile, Path expected, Path timeline, long maxSeconds, int readers) throws Exception {
        List<Writer> writers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < run.workers; w++) {
            Writer writer = new Writer(run, w);
            writers.add(writer);
            threads.add(new Thread(writer, "writer-" + w));
        }
        for (int r = 0; r < readers; r++) {
            threads.add(new Thread(new Reader(run), "reader-" + r));
        }
        threads.forEach(Thread::start);

        try (PrintWriter tl = timeline == null ? null : new PrintWriter(Files.newBufferedWriter(timeline), true)) {
            long deadline = run.start + Duration.ofSeconds(maxSeconds).toNanos();
            long nextTick = run.start + 1_000_000_000L;
            int second = 0;
            while (!Files.exists(stopFile) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                if (System.nanoTime() >= nextTick) {
                    nextTick += 1_000_000_000L;
                    second++;
                    long ok = run.tally.okThisSecond.sumThenReset(), failed = run.tally.failedThisSecond.sumThenReset();
                    if (tl != null) {
                        tl.println(second + " " + ok + " " + failed);
                    }
                }
            }
        }
        run.stop();
        for (Thread t : threads) {
            t.join();
        }

        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(expected))) {
            for (Writer w : writers) {
                w.writeLiked(out);
            }
        }
        long likedPairs = writers.stream().mapToLong(Writer::likedCount).sum();
        System.out.println(run.tally.summary(run.ns, run.stoppedAt, likedPairs));
    }
}
