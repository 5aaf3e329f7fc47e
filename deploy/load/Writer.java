import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One writer of the load: it owns the pairs p with p % workers == w, so no two threads ever touch
 * one pair and it knows the state of each of its pairs. It picks one at random and asks for the
 * opposite of the state it believes, until the service answers 200 (whose {@code liked} is then the
 * pair's state) or 429 (nothing changed); on 503 (after Retry-After, at most 1 s), any other
 * status, a broken connection or a timeout it tries again. Likes and unlikes are idempotent, so a
 * repeat after a lost answer changes nothing.
 */
final class Writer implements Runnable {

    static final Pattern LIKED = Pattern.compile("\"liked\"\\s*:\\s*(true|false)");
    static final Pattern CHANGED = Pattern.compile("\"changed\"\\s*:\\s*(true|false)");

    private final Run run;
    private final Tally tally;
    private final int[] pairs;
    private final boolean[] liked;
    private final SplittableRandom random;

    Writer(Run run, int w) {
        this.run = run;
        this.tally = run.tally;
        int n = (run.users * run.items - w + run.workers - 1) / run.workers;
        pairs = new int[Math.max(n, 0)];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = w + i * run.workers;
        }
        liked = new boolean[pairs.length];
        random = new SplittableRandom(w * 7919L + run.ns.hashCode());
    }

    @Override
    public void run() {
        while (!run.stopping.get() && pairs.length > 0) {
            toggle(random.nextInt(pairs.length));
        }
    }

    /** Sends the opposite of pair k's state until the service answers 200 or 429. */
    private void toggle(int k) {
        boolean like = !liked[k];
        HttpRequest request = HttpRequest.newBuilder(URI.create(run.url + "/v1/items/" + run.item(pairs[k]) + "/likes/" + run.user(pairs[k])))
                .timeout(Run.REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + run.token)
                .method(like ? "PUT" : "DELETE", HttpRequest.BodyPublishers.noBody())
                .build();
        while (true) {
            if (run.drained()) {
                tally.unresolved.increment(); // its state is unknown: the exactness check cannot be trusted
                return;
            }
            long sent = System.nanoTime();
            long pause = 100;
            try {
                HttpResponse<String> response = run.http.send(request, HttpResponse.BodyHandlers.ofString());
                long now = System.nanoTime();
                tally.countHang(sent, now);
                int status = response.statusCode();
                if (status == 200) {
                    tally.s200.increment();
                    tally.okThisSecond.increment();
                    tally.success(now);
                    liked[k] = flag(LIKED, response.body());
                    if (flag(CHANGED, response.body())) {
                        tally.changed.increment();
                    }
                    return;
                }
                if (status == 429) {
                    tally.s429.increment();
                    return;
                }
                tally.failedThisSecond.increment();
                if (status == 503) {
                    tally.s503.increment();
                    if (Tally.fromProxy(response)) {
                        tally.s503Proxy.increment();
                    }
                    pause = response.headers().firstValueAsLong("Retry-After").orElse(1) * 1000;
                } else if (status == 500) {
                    tally.s500.increment();
                } else {
                    tally.otherStatus.increment();
                }
            } catch (IOException e) { // a timeout (HttpTimeoutException) is one too
                tally.countHang(sent, System.nanoTime());
                tally.ioErrors.increment();
                tally.failedThisSecond.increment();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Run.sleep(Math.min(pause, 1000));
        }
    }

    long likedCount() {
        long n = 0;
        for (boolean b : liked) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /** One "item,user" line per pair believed liked. */
    void writeLiked(PrintWriter out) {
        for (int i = 0; i < pairs.length; i++) {
            if (liked[i]) {
                out.println(run.item(pairs[i]) + "," + run.user(pairs[i]));
            }
        }
    }

    private static boolean flag(Pattern pattern, String body) {
        Matcher m = pattern.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("unexpected answer: " + body);
        }
        return Boolean.parseBoolean(m.group(1));
    }
}
