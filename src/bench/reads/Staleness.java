import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How stale a replica's counts in memory are (src/bench/reads/run.sh): a like on replica A, then its
 * item's count read on replica B every 2 ms until it shows the like. Prints, over all the likes, the
 * time from A's 200 to B's first read that shows it: p50, p99 and max, and how many did not show
 * within 5 s. The items (20 of them) are read on B first, so that B keeps them in memory.
 * <pre>
 * java Staleness.java URL_A URL_B TOKEN LIKES
 * </pre>
 */
public class Staleness {

    private static final Pattern LIKES = Pattern.compile("\"likes\":(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        URI a = URI.create(args[0]);
        URI b = URI.create(args[1]);
        String token = args[2];
        int likes = Integer.parseInt(args[3]);
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            items.add("stale-" + run + "-" + i);
            count(b, items.get(i));
        }
        List<Long> delays = new ArrayList<>();
        int missed = 0;
        for (int n = 0; n < likes; n++) {
            String item = items.get(n % items.size());
            HttpResponse<String> liked = HTTP.send(HttpRequest.newBuilder(a.resolve("/v1/items/" + item + "/likes/staleness-" + run + "-" + n))
                    .header("Authorization", "Bearer " + token).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            long answered = System.nanoTime();
            if (liked.statusCode() != 200) {
                throw new IllegalStateException("a like answered " + liked.statusCode() + ": " + liked.body());
            }
            long expected = likes(liked.body());
            long deadline = answered + Duration.ofSeconds(5).toNanos();
            long seen;
            while ((seen = count(b, item)) < expected && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            if (seen >= expected) {
                delays.add((System.nanoTime() - answered) / 1_000_000);
            } else {
                missed++;
            }
        }
        Collections.sort(delays);
        System.out.printf("staleness: %d likes on replica A, seen in replica B's reads after p50 %d ms, p99 %d ms, max %d ms; "
                + "%d not within 5 s%n", likes, at(delays, 0.50), at(delays, 0.99), at(delays, 1.0), missed);
        System.out.printf("bench-staleness p50_ms=%d p99_ms=%d max_ms=%d missed=%d%n", at(delays, 0.50), at(delays, 0.99),
                at(delays, 1.0), missed);
    }

    private static long at(List<Long> sorted, double p) {
        return sorted.isEmpty() ? -1 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }

    private static long count(URI replica, String item) throws Exception {
        return likes(HTTP.send(HttpRequest.newBuilder(replica.resolve("/v1/items/" + item)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static long likes(String body) {
        Matcher likes = LIKES.matcher(body);
        if (!likes.find()) {
            throw new IllegalStateException("no count in " + body);
        }
        return Long.parseLong(likes.group(1));
    }
}
