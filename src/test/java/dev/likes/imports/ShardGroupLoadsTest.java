package dev.likes.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.likes.ranking.WindowAging;
import dev.likes.support.Database;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An import's batches on Citus ({@link ShardGroupLoads}: likes_import_group per shard group,
 * V12__citus_imports.sql, then the batch's record) against the single-node statement
 * ({@link ImportStore#load}), here on the tests' plain PostgreSQL, where both run (deploy/citus/drill.sh
 * runs the first on a real cluster): two worlds get the same random batches (likes of now, hours,
 * days, weeks and months ago; a pair given twice in a batch; likes already there; a removed item and
 * a suspended user, barred), one loaded by one, the other by the other; each batch is answered the
 * same (likes loaded, barred, items changed), and the worlds' like rows, buckets, counters (hot score
 * to the last digit) and the imports' records end the same.
 */
@QuarkusTest
class ShardGroupLoadsTest {

    static final String WORLDS = "SELECT substr(%1$s, 3) || ' ' || %2$s FROM %3$s WHERE item_id LIKE $1 || '-%%' ORDER BY 1";

    @Inject
    Database database;
    @Inject
    ImportStore store;
    @Inject
    ShardGroupLoads groups;
    @Inject
    WindowAging aging;

    @Test
    void theShardGroupLoadsLeaveWhatTheSingleNodeStatementLeaves() {
        database.clear();
        database.update("INSERT INTO removed_items (item_id) VALUES ('s-gone'), ('g-gone')");
        database.update("INSERT INTO suspended_users (user_id) VALUES ('s-banned'), ('g-banned')");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        List<OffsetDateTime> ages = List.of(now, now.minusMinutes(30), now.minusHours(5), now.minusDays(3), now.minusDays(20));
        Random random = new Random(5);
        store.begin("s-import", "test", 601).await().indefinitely();
        store.begin("g-import", "test", 601).await().indefinitely();
        long barred = 0;
        for (int batch = 0; batch < 6; batch++) {
            List<String[]> likes = new ArrayList<>();
            // Over ShardGroupLoads.CALL_LIKES: a group's share goes in several calls.
            for (int i = 0; i < 600; i++) {
                int item = random.nextInt(8);
                int user = random.nextInt(300);
                likes.add(new String[] {item == 7 ? "gone" : "i" + item, user == 299 ? "banned" : "u" + user});
            }
            likes.add(likes.get(0)); // given twice: counts once, at its first time
            List<SourceRow.Good> s = new ArrayList<>();
            List<SourceRow.Good> g = new ArrayList<>();
            for (String[] like : likes) {
                OffsetDateTime at = ages.get(random.nextInt(ages.size()));
                s.add(new SourceRow.Good("s-" + like[0], "s-" + like[1], at));
                g.add(new SourceRow.Good("g-" + like[0], "g-" + like[1], at));
            }
            ImportStore.Loaded single = store.load("s-import", batch, likes.size(), s, now).await().indefinitely();
            ImportStore.Loaded sharded = groups.load("g-import", batch, likes.size(), g, now).await().indefinitely();
            assertEquals(answer(single), answer(sharded), "batch " + batch);
            barred += single.barred();
        }
        assertTrue(barred > 0, "some likes were barred");
        for (String[] table : new String[][] {
                {"item_id", "substr(user_id, 3) || ' ' || created_at", "likes"},
                {"item_id", "minute || ' ' || likes || ' ' || counted_in", "like_buckets"},
                {"item_id", "likes || ' ' || likes_hour || ' ' || likes_day || ' ' || likes_week || ' ' || hot || ' ' || hot_base",
                        "like_counts"},
                {"item_id", "substr(name, 3)", "like_import_items"}}) {
            String sql = WORLDS.formatted(table[0], table[1], table[2]);
            assertEquals(database.rows(sql, "s"), database.rows(sql, "g"), table[2]);
        }
        String batches = "SELECT batch || ' ' || rows || ' ' || loaded || ' ' || barred FROM like_import_batches WHERE name = $1 ORDER BY batch";
        assertEquals(database.rows(batches, "s-import"), database.rows(batches, "g-import"), "the batches' records");
        assertEquals(Map.of(), database.drift());
        aging.age().await().indefinitely(); // the windows' edges where the loads put them (by the clock)
        assertEquals(Map.of(), database.windowDrift());
    }

    private static String answer(ImportStore.Loaded loaded) {
        TreeSet<String> items = new TreeSet<>();
        loaded.items().forEach(item -> items.add(item.substring(2)));
        return loaded.loaded() + " loaded, " + loaded.barred() + " barred, items " + items;
    }
}
