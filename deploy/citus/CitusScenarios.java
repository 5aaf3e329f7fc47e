import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The concurrency scenarios of the test suite, run over HTTP against a service on Citus
 * (deploy/citus/drill.sh): many users on one item, double clicks, racing likes and unlikes, clicks
 * spread over many items (so that batches span shard groups), and rankings walked page by page.
 * JDK 17 only:
 *
 * <pre>
 *   java deploy/citus/CitusScenarios.java url=http://127.0.0.1:28281 token=FILE ns=s1
 * </pre>
 *
 * Prints one line per scenario, "scenario NAME ok|FAIL: detail", and exits 1 when one failed.
 * Every id starts with {@code ns}, so a run touches nothing else.
 */
public class CitusScenarios {

    static final Pattern CHANGED = Pattern.compile("\"changed\"\\s*:\\s*(true|false)");
    static final Pattern LIKES = Pattern.compile("\"likes\"\\s*:\\s*(\\d+)");
    static final Pattern LIKED = Pattern.compile("\"liked\"\\s*:\\s*(true|false)");
    static final Pattern ITEM = Pattern.compile("\"itemId\"\\s*:\\s*\"([^\"]*)\"\\s*,\\s*\"likes\"\\s*:\\s*(\\d+)");
    static final Pattern NEXT = Pattern.compile("\"next\"\\s*:\\s*\"([^\"]*)\"");

    final String url;
    final String token;
    final String ns;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final ExecutorService pool = Executors.newFixedThreadPool(64);
    int failed;

    CitusScenarios(String url, String token, String ns) {
        this.url = url;
        this.token = token;
        this.ns = ns;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new TreeMap<>();
        for (String arg : args) {
            a.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        CitusScenarios s = new CitusScenarios(a.getOrDefault("url", "http://127.0.0.1:28281"),
                Files.readString(Path.of(a.get("token"))).trim(), a.getOrDefault("ns", "s1"));
        try {
            s.run("one item, many users", s::oneItemManyUsers);
            s.run("double clicks", s::doubleClicks);
            s.run("racing likes and unlikes", s::racingLikesAndUnlikes);
            Map<String, Integer> spread = new TreeMap<>();
            s.run("clicks over many items", () -> s.spreadOverItems(spread));
            s.run("rankings, all time", () -> s.rankings("all", spread));
            s.run("rankings, last hour", () -> s.rankings("hour", spread));
        } finally {
            s.pool.shutdownNow();
        }
        System.exit(s.failed == 0 ? 0 : 1);
    }

    void run(String name, Callable<String> scenario) {
        String verdict;
        try {
            verdict = "ok: " + scenario.call();
        } catch (AssertionError | Exception e) {
            failed++;
            verdict = "FAIL: " + e.getMessage();
        }
        System.out.println("scenario " + name + " " + verdict);
    }

    /** 1000 users like one item at once: each answer changed, the answered counts are 1..1000 once each. */
    String oneItemManyUsers() throws Exception {
        String item = ns + "-hot";
        int users = 1000;
        Set<Long> counts = new HashSet<>();
        for (Future<String> answer : atOnce(item, users, "PUT")) {
            String body = answer.get();
            check(flag(CHANGED, body), "a like answered unchanged: " + body);
            counts.add(number(LIKES, body));
        }
        check(counts.size() == users && Collections.max(counts) == users && Collections.min(counts) == 1,
                "answered counts are not 1.." + users + " once each (" + counts.size() + " distinct)");
        long count = count(item);
        check(count == users, "count " + count + ", expected " + users);
        return users + " likes, counts 1.." + users + " each answered once, count " + count;
    }

    /** Each of 300 users double-clicks like (two requests at once), then 100 of them double-click unlike. */
    String doubleClicks() throws Exception {
        String item = ns + "-double";
        int users = 300;
        int unliking = 100;
        int changed = changedOf(atOnce(item, users, "PUT", "PUT"));
        check(changed == users, changed + " of " + users + " double likes changed something, expected one each");
        int unchanged = changedOf(atOnce(item, unliking, "DELETE", "DELETE"));
        check(unchanged == unliking, unchanged + " of " + unliking + " double unlikes changed something");
        long count = count(item);
        check(count == users - unliking, "count " + count + ", expected " + (users - unliking));
        return "one change per double click; count " + count;
    }

    /** For each of users 0..users-1, the requests {@code methods} on the item, all submitted at once. */
    private List<Future<String>> atOnce(String item, int users, String... methods) {
        List<Future<String>> answers = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            String user = ns + "-u" + u;
            for (String method : methods) {
                answers.add(pool.submit(() -> write(method, item, user)));
            }
        }
        return answers;
    }

    private static int changedOf(List<Future<String>> answers) throws Exception {
        int changed = 0;
        for (Future<String> answer : answers) {
            changed += flag(CHANGED, answer.get()) ? 1 : 0;
        }
        return changed;
    }

    /** 100 users each send 6 alternating likes and unlikes at once, then one last click each; every state is checked. */
    String racingLikesAndUnlikes() throws Exception {
        String item = ns + "-race";
        int users = 100;
        for (Future<String> answer : atOnce(item, users, "PUT", "DELETE", "PUT", "DELETE", "PUT", "DELETE")) {
            answer.get();
        }
        for (int u = 0; u < users; u++) {
            write(u % 2 == 0 ? "PUT" : "DELETE", item, ns + "-u" + u);
        }
        for (int u = 0; u < users; u++) {
            String body = get("/v1/items/" + item + "/likes/" + ns + "-u" + u, true);
            check(flag(LIKED, body) == (u % 2 == 0), "user " + u + ": " + body);
        }
        long count = count(item);
        check(count == users / 2, "count " + count + ", expected " + users / 2);
        return (users * 6) + " racing clicks, then each user's state as last set; count " + count;
    }

    /** 2000 likes over 400 items (item k gets k % 9 + 1, each from users of its own), all at once: batches span every shard group. */
    String spreadOverItems(Map<String, Integer> expected) throws Exception {
        List<String[]> clicks = new ArrayList<>();
        for (int k = 0; k < 400; k++) {
            String item = ns + "-s" + k;
            expected.put(item, k % 9 + 1);
            for (int u = 0; u <= k % 9; u++) {
                clicks.add(new String[] {item, ns + "-v" + k + "-" + u});
            }
        }
        Collections.shuffle(clicks, new java.util.Random(42));
        List<Future<String>> answers = new ArrayList<>();
        for (String[] click : clicks) {
            answers.add(pool.submit(() -> write("PUT", click[0], click[1])));
        }
        check(changedOf(answers) == clicks.size(), "not every like changed something");
        List<String> items = new ArrayList<>(expected.keySet());
        int wrong = 0;
        for (int from = 0; from < items.size(); from += 50) {
            List<String> page = items.subList(from, Math.min(items.size(), from + 50));
            Matcher m = ITEM.matcher(get("/v1/items?ids=" + String.join(",", page), false));
            while (m.find()) {
                wrong += Long.parseLong(m.group(2)) == expected.get(m.group(1)) ? 0 : 1;
            }
        }
        check(wrong == 0, wrong + " items with a wrong count");
        return clicks.size() + " likes on " + items.size() + " items, every count right";
    }

    /** Every page of a ranking, 37 at a time: ordered, no item twice, and this run's items in their expected order. */
    String rankings(String window, Map<String, Integer> expected) throws Exception {
        List<String[]> walked = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            String body = get("/v1/rankings?window=" + window + "&limit=37"
                    + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8)), false);
            Matcher m = ITEM.matcher(body);
            while (m.find()) {
                walked.add(new String[] {m.group(1), m.group(2)});
            }
            Matcher next = NEXT.matcher(body);
            after = next.find() ? next.group(1) : null;
            pages++;
        } while (after != null && pages < 10_000);
        Set<String> seen = new HashSet<>();
        List<String> ours = new ArrayList<>();
        for (int i = 0; i < walked.size(); i++) {
            check(seen.add(walked.get(i)[0]), "item " + walked.get(i)[0] + " twice");
            if (i > 0) {
                long before = Long.parseLong(walked.get(i - 1)[1]);
                long now = Long.parseLong(walked.get(i)[1]);
                check(now < before || now == before && walked.get(i)[0].compareTo(walked.get(i - 1)[0]) > 0,
                        "out of order at rank " + (i + 1));
            }
            if (expected.containsKey(walked.get(i)[0])) {
                check(Long.parseLong(walked.get(i)[1]) == expected.get(walked.get(i)[0]), "wrong count for " + walked.get(i)[0]);
                ours.add(walked.get(i)[0]);
            }
        }
        List<String> order = new ArrayList<>(expected.keySet());
        order.sort(Comparator.comparing((String item) -> -expected.get(item)).thenComparing(Comparator.naturalOrder()));
        check(ours.equals(order), "this run's items are not all there in rank order (" + ours.size() + " of " + order.size() + ")");
        return walked.size() + " items in " + pages + " pages, ordered, this run's " + ours.size() + " in place";
    }

    /** A like or an unlike until it is answered 200 (503 and 429 are retried after a moment): the answer's body. */
    String write(String method, String item, String user) throws Exception {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/items/" + item + "/likes/" + user))
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                return answer.body();
            }
            if ((answer.statusCode() != 503 && answer.statusCode() != 429) || attempt == 20) {
                throw new AssertionError(method + " " + item + "/" + user + " answered " + answer.statusCode() + ": " + answer.body());
            }
            Thread.sleep(100);
        }
    }

    String get(String path, boolean asUser) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10));
        if (asUser) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        check(answer.statusCode() == 200, "GET " + path + " answered " + answer.statusCode() + ": " + answer.body());
        return answer.body();
    }

    long count(String item) throws Exception {
        return number(LIKES, get("/v1/items/" + item, false));
    }

    static boolean flag(Pattern pattern, String body) {
        Matcher m = pattern.matcher(body);
        check(m.find(), "no " + pattern + " in " + body);
        return Boolean.parseBoolean(m.group(1));
    }

    static long number(Pattern pattern, String body) {
        Matcher m = pattern.matcher(body);
        check(m.find(), "no " + pattern + " in " + body);
        return Long.parseLong(m.group(1));
    }

    static void check(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }
}
