import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every thread of one drill's load shares (see {@link DrillLoad}): where the service is, the
 * token, the ids of the drill's pairs, one HTTP client, and whether the load is stopping.
 */
final class Run {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** After the stop, how long a writer may go on retrying its last request before giving up. */
    static final long DRAIN_NANOS = Duration.ofSeconds(30).toNanos();

    final String url;
    final String token;
    final String ns;
    final int workers;
    final int users;
    final int items;
    final HttpClient http;
    final long start = System.nanoTime();
    final AtomicBoolean stopping = new AtomicBoolean();
    final Tally tally = new Tally(start);
    volatile long stoppedAt;

    Run(Map<String, String> opt) throws IOException {
        url = opt.getOrDefault("url", "http://127.0.0.1:28080");
        token = Files.readString(Path.of(DrillLoad.required(opt, "token"))).trim();
        ns = DrillLoad.required(opt, "ns");
        workers = Integer.parseInt(opt.getOrDefault("workers", "64"));
        users = Integer.parseInt(opt.getOrDefault("users", "2000"));
        items = Integer.parseInt(opt.getOrDefault("items", "50"));
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    void stop() {
        stoppedAt = System.nanoTime();
        stopping.set(true);
    }

    /** Past the stop and the drain: a request still failing is given up. */
    boolean drained() {
        return stopping.get() && System.nanoTime() - stoppedAt > DRAIN_NANOS;
    }

    String item(int pair) {
        return ns + "-i" + (pair % items);
    }

    String user(int pair) {
        return ns + "-u" + (pair / items);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
