import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the load saw: answers by status, hangs, reads, and the longest time without a successful
 * write (the largest gap between consecutive successes; the time before the first one is warm-up,
 * not an outage). Printed as one line of key=value fields ({@link #summary}).
 */
final class Tally {

    final LongAdder s200 = new LongAdder(), s429 = new LongAdder(), s503 = new LongAdder(), s503Proxy = new LongAdder();
    final LongAdder s500 = new LongAdder();
    final LongAdder otherStatus = new LongAdder(), ioErrors = new LongAdder(), hangs = new LongAdder();
    final LongAdder changed = new LongAdder(), unresolved = new LongAdder();
    final LongAdder reads = new LongAdder(), readsFailed = new LongAdder();
    final Map<String, LongAdder> readFailures = new ConcurrentHashMap<>(); // by status, or "io"
    final LongAdder failedThisSecond = new LongAdder(), okThisSecond = new LongAdder();

    private final long start;
    private long lastSuccess;
    private long longestGap;
    private long longestGapFrom;

    Tally(long start) {
        this.start = start;
        this.longestGapFrom = start;
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

    void countHang(long sent, long answered) {
        if (answered - sent >= Run.REQUEST_TIMEOUT.toNanos()) {
            hangs.increment();
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

    /** The summary line; a run that ends inside an outage counts the time from its last success to the stop. */
    synchronized String summary(String ns, long stoppedAt, long likedPairs) {
        long last = lastSuccess == 0 ? start : lastSuccess;
        if (stoppedAt - last > longestGap) {
            longestGap = stoppedAt - last;
            longestGapFrom = last;
        }
        StringBuilder readErrors = new StringBuilder();
        new TreeMap<>(readFailures).forEach((kind, n) -> readErrors.append(readErrors.length() == 0 ? "" : ",").append(kind).append(':').append(n.sum()));
        return String.format("drill=%s seconds=%.1f s200=%d changed=%d s429=%d s503=%d s503_proxy=%d s500=%d other=%d io=%d"
                        + " hangs=%d outage_s=%.2f outage_from_s=%.1f reads=%d reads_failed=%d read_errors=%s liked=%d"
                        + " unresolved=%d",
                ns, (stoppedAt - start) / 1e9, s200.sum(), changed.sum(), s429.sum(), s503.sum(), s503Proxy.sum(),
                s500.sum(), otherStatus.sum(), ioErrors.sum(), hangs.sum(), longestGap / 1e9, (longestGapFrom - start) / 1e9,
                reads.sum(), readsFailed.sum(), readErrors.length() == 0 ? "-" : readErrors, likedPairs, unresolved.sum());
    }
}
