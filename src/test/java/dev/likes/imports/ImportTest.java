package dev.likes.imports;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.likes.db.DatabaseOptions;
import dev.likes.ranking.HotRebase;
import dev.likes.ranking.WindowAging;
import dev.likes.support.Clicks;
import dev.likes.support.Database;
import dev.likes.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.pgclient.PgConnectOptions;

/**
 * The import against a real export of the usual shape: a Django-style schema (users, posts with a
 * likes count column kept by {@code F('likes') + 1}, a like table unique on (user, post)) in a second
 * database, filled by a script; then the import, from the table and from a CSV file, and counts,
 * orders, windows and hot scores compared with SQL on the source.
 */
@QuarkusTest
class ImportTest {

    static final Instant NOW = Instant.parse("2030-03-01T00:00:00Z");
    static final Columns DJANGO = new Columns("post_id", "user_id", "created_at");

    /** About 5,000 likes by 300 users of 120 posts over the 12 days before NOW, and the posts' count column. */
    static final String SHOP = """
            CREATE TABLE auth_user (id serial PRIMARY KEY, username varchar(150) UNIQUE NOT NULL);
            CREATE TABLE blog_post (id serial PRIMARY KEY, title text NOT NULL, likes integer NOT NULL DEFAULT 0);
            CREATE TABLE blog_like (
                id bigserial PRIMARY KEY,
                user_id integer NOT NULL REFERENCES auth_user,
                post_id integer NOT NULL REFERENCES blog_post,
                created_at timestamptz NOT NULL,
                CONSTRAINT blog_like_user_post UNIQUE (user_id, post_id));
            INSERT INTO auth_user (username) SELECT 'u' || i FROM generate_series(1, 300) i;
            INSERT INTO blog_post (title) SELECT 'post ' || i FROM generate_series(1, 120) i;
            INSERT INTO blog_like (user_id, post_id, created_at)
            SELECT u, p, timestamptz '2030-03-01 00:00:00+00' - ((u * 7919 + p * 104729) % 1036800) * interval '1 second'
                         - (u % 1000) * interval '1 microsecond'
            FROM generate_series(1, 300) u, generate_series(1, 120) p WHERE (u * 31 + p * 17) % 7 = 0;
            UPDATE blog_post p SET likes = (SELECT count(*) FROM blog_like l WHERE l.post_id = p.id);
            """;

    @Inject
    Database database;
    @Inject
    Importer importer;
    @Inject
    TestClock clock;
    @Inject
    WindowAging aging;
    @Inject
    HotRebase rebase;
    @Inject
    DatabaseOptions databases;
    @Inject
    Vertx vertx;
    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    PgConnection shop;

    @BeforeEach
    void aShopAndAnEmptyService() {
        emptyAtNow();
        database.update("DROP DATABASE IF EXISTS shop");
        database.update("CREATE DATABASE shop");
        shop = PgConnection.connect(vertx, shopOptions()).await().indefinitely();
        for (String statement : SHOP.split(";\\s*\n")) {
            if (!statement.isBlank()) {
                shop.query(statement).execute().await().indefinitely();
            }
        }
    }

    @AfterEach
    void exactAndClosed() {
        assertEquals(Map.of(), database.drift(), "counts equal rows");
        assertEquals(Map.of(), database.windowDrift(), "windows and hot scores equal rows");
        shop.closeAndAwait();
        database.clear();
        clock.reset();
    }

    @Test
    void aTableImportsExactlyWithItsTimesAndATwiceRunLoadsNothing() {
        long likes = shopCount("SELECT count(*) FROM blog_like");
        ImportReport report = fromShop("shop", 500);
        assertEquals(likes, report.read());
        assertEquals(likes, report.loaded());
        assertEquals(0, report.bad() + report.duplicates() + report.barred() + report.drifted());
        assertEquals(120, report.checked());
        assertSameAsTheShop();

        String before = database.fingerprint();
        ImportReport again = fromShop("shop", 500);
        assertEquals(0, again.read(), "a finished import has nothing left to read");
        ImportReport anew = fromShop("shop-again", 700);
        assertEquals(likes, anew.read());
        assertEquals(0, anew.loaded());
        assertEquals(likes, anew.duplicates(), "every like is there already");
        assertEquals(before, database.fingerprint());
    }

    @Test
    void aCsvExportImportsTheSameAndBadRowsAreReportedAndSkipped() throws IOException {
        List<String> lines = new ArrayList<>(List.of("id,user_id,post_id,created_at"));
        for (Row row : shop.query("SELECT id, user_id, post_id, created_at::text FROM blog_like ORDER BY id").execute().await().indefinitely()) {
            lines.add(row.getLong(0) + "," + row.getInteger(1) + "," + row.getInteger(2) + ",\"" + row.getString(3) + "\"");
        }
        int good = lines.size() - 1;
        lines.add(3, "9001,not a user,1,2030-01-01 00:00:00+00"); // line 4
        lines.add(5, "9002,7,1,2031-01-01 00:00:00+00"); // line 6: in the future
        lines.add(7, "9003,7,1,\"2030-01-01"); // line 8: a quote never closed
        lines.add(9, "9004,7"); // line 10: too few fields
        lines.add(11, lines.get(2)); // line 12: the like of line 3 again
        Path file = Files.createTempFile("likes", ".csv");
        Files.write(file, lines);

        ImportReport report = importer.fromCsv("shop.csv", file, DJANGO, 400, line -> { });
        assertEquals(good + 5, report.read());
        assertEquals(good, report.loaded());
        assertEquals(1, report.duplicates());
        assertEquals(4, report.bad());
        assertEquals(List.of("line 4", "line 6", "line 8", "line 10"), report.badRows().stream().map(SourceRow.Bad::place).toList());
        assertTrue(report.badRows().get(1).reason().endsWith("is in the future"), report.text());
        assertEquals(0, report.drifted());
        assertSameAsTheShop();
        Files.delete(file);
    }

    @Test
    void anImportCutShortGoesOnFromItsLastBatchToTheSameResult() {
        fromShop("reference", 450);
        String exact = database.fingerprint();
        emptyAtNow();

        // The source fails in the middle of its fifth batch: four batches are committed, the fifth is not.
        assertThrows(IllegalStateException.class, () -> importer.run("cut", "test", position -> new Failing(
                new TableSource(vertx, shopUrl(), "blog_like", DJANGO, position), 4 * 450 + 100, new long[1]), 450, line -> { }));
        assertEquals(4 * 450, database.count("SELECT sum(rows) FROM like_import_batches WHERE name = 'cut'"));
        assertEquals(4 * 450, database.count("SELECT count(*) FROM likes"));

        ImportReport resumed = fromShop("cut", 450);
        assertEquals(4 * 450, resumed.doneBefore());
        assertEquals(shopCount("SELECT count(*) FROM blog_like") - 4 * 450, resumed.loaded());
        assertEquals(exact, database.fingerprint());
        assertSameAsTheShop();
    }

    @Test
    void clicksDuringAnImportAreNeitherLostNorDoubled() {
        Clicks clicks = new Clicks(URI.create("http://127.0.0.1:" + port));
        // Before the import: likes of users the shop does not have, half of which are unliked during it.
        List<Clicks.Click> before = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            before.add(Clicks.Click.like(String.valueOf(1 + i), "early-" + i % 10));
        }
        clicks.concurrently(8, before).forEach(answer -> assertEquals(200, answer.status()));
        Set<String> expected = new HashSet<>();
        List<Clicks.Click> during = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String item = String.valueOf(1 + i);
            if (i % 2 == 0) {
                during.add(Clicks.Click.unlike(item, "early-" + i % 10));
            } else {
                expected.add(item + "/early-" + i % 10);
            }
            during.add(Clicks.Click.like(item, "live-" + i % 30));
            expected.add(item + "/live-" + i % 30);
            during.add(Clicks.Click.like(item, item)); // user n likes item n: maybe a like the import loads too
        }
        CompletableFuture<ImportReport> running = CompletableFuture.supplyAsync(() -> fromShop("busy", 100));
        clicks.concurrently(8, during).forEach(answer -> assertEquals(200, answer.status()));
        ImportReport report = running.join();
        assertEquals(0, report.drifted());

        assertEquals(expected, new HashSet<>(database.rows("SELECT item_id || '/' || user_id FROM likes WHERE user_id LIKE '%-%'")));
        Set<String> shopLikes = new HashSet<>();
        shop.query("SELECT post_id || '/' || user_id FROM blog_like").execute().await().indefinitely().forEach(row -> shopLikes.add(row.getString(0)));
        Set<String> loaded = new HashSet<>(database.rows("SELECT item_id || '/' || user_id FROM likes WHERE user_id NOT LIKE '%-%'"));
        assertTrue(loaded.containsAll(shopLikes), "every like of the shop is there");
        loaded.removeAll(shopLikes);
        for (String extra : loaded) {
            String[] pair = extra.split("/");
            assertEquals(pair[0], pair[1], "only the clicks' own likes (item n, user n) are not the shop's: " + extra);
        }
    }

    /** Counts as the shop's count column, and each post's likers and each user's likes in the shop's order. */
    private void assertSameAsTheShop() {
        assertEquals(shopMap("SELECT id::text, likes::text FROM blog_post WHERE likes > 0"),
                new TreeMap<>(Map.copyOf(pairs(database.rows("SELECT item_id || ' ' || likes FROM like_counts WHERE likes > 0")))));
        assertEquals(shopMap("SELECT post_id::text, string_agg(user_id::text, ',' ORDER BY created_at DESC, user_id::text) FROM blog_like GROUP BY 1"),
                new TreeMap<>(pairs(database.rows("SELECT item_id || ' ' || string_agg(user_id, ',' ORDER BY created_at DESC, user_id) FROM likes GROUP BY item_id"))));
        // And through the API: the newest likers of post 1, and the newest likes of user 7.
        String likers = shopMap("SELECT '1', string_agg(user_id::text, ',' ORDER BY created_at DESC, user_id::text) FROM blog_like WHERE post_id = 1").get("1");
        assertEquals(likers, String.join(",", given().get("/v1/items/1/likes?limit=100").then().statusCode(200)
                .extract().jsonPath().getList("users.userId", String.class)));
        String liked = shopMap("SELECT '7', string_agg(post_id::text, ',' ORDER BY created_at DESC, post_id::text) FROM blog_like WHERE user_id = 7").get("7");
        assertEquals(liked, String.join(",", given().get("/v1/users/7/likes?limit=100").then().statusCode(200)
                .extract().jsonPath().getList("items.itemId", String.class)));
    }

    /** No likes and no imports; the windows and the hot frame at NOW. */
    private void emptyAtNow() {
        database.clear();
        database.update("TRUNCATE like_imports, like_import_batches, like_import_items");
        clock.freezeAt(NOW);
        aging.age().await().indefinitely();
        rebase.rebase().await().indefinitely();
    }

    private ImportReport fromShop(String name, int batch) {
        return importer.fromTable(name, shopUrl(), "blog_like", DJANGO, batch, line -> { });
    }

    private long shopCount(String sql) {
        return shop.query(sql).execute().await().indefinitely().iterator().next().getLong(0);
    }

    private TreeMap<String, String> shopMap(String sql) {
        TreeMap<String, String> map = new TreeMap<>();
        shop.query(sql).execute().await().indefinitely().forEach(row -> map.put(row.getString(0), row.getString(1)));
        return map;
    }

    private static Map<String, String> pairs(List<String> rows) {
        Map<String, String> map = new TreeMap<>();
        for (String row : rows) {
            String[] kv = row.split(" ", 2);
            map.put(kv[0], kv[1]);
        }
        return map;
    }

    private PgConnectOptions shopOptions() {
        return new PgConnectOptions(databases.primary()).setDatabase("shop");
    }

    private String shopUrl() {
        PgConnectOptions options = shopOptions();
        return "postgresql://" + options.getUser() + ":" + options.getPassword() + "@" + options.getHost() + ":" + options.getPort() + "/shop";
    }

    /** A source that fails once {@code rows} rows have been read, as a killed import would stop. */
    private record Failing(LikeSource source, long rows, long[] read) implements LikeSource {
        @Override
        public List<SourceRow> next(int max) {
            List<SourceRow> next = source.next(max);
            if (read[0] + next.size() > rows) {
                throw new IllegalStateException("cut short");
            }
            read[0] += next.size();
            return next;
        }

        @Override
        public double readFraction() {
            return source.readFraction();
        }

        @Override
        public void close() {
            source.close();
        }
    }
}
