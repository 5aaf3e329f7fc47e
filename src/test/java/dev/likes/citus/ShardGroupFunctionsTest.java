package dev.likes.citus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.likes.support.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The functions that Citus runs on a worker per shard group (V6__citus.sql), here on the tests'
 * plain PostgreSQL, where they run as ordinary PL/pgSQL (deploy/citus/drill.sh runs them on a real
 * cluster): racing calls keep counts, buckets and windows equal to the rows; the answers say what
 * the single-node statements' columns say (a repeat is answered from after the call's writes); aging moves a group's minutes out of a window. And the
 * shard hash computed in Java is PostgreSQL's own.
 */
@QuarkusTest
class ShardGroupFunctionsTest {

    static final String CLICKS = "SELECT * FROM likes_click_group($1, $2, $3, $4, $5)";

    @Inject
    Database database;
    @Inject
    Pool pool;
    @Inject
    CitusCluster citus;

    @BeforeEach
    void empty() {
        database.clear();
    }

    @Test
    void racingCallsKeepEveryCountEqualToItsRows() {
        assertFalse(citus.active(), "the tests' PostgreSQL has no Citus");
        Random random = new Random(7);
        List<Uni<RowSet<Row>>> calls = new ArrayList<>();
        for (int call = 0; call < 24; call++) {
            boolean like = call % 3 != 2;
            List<String> items = new ArrayList<>();
            List<String> users = new ArrayList<>();
            for (String item : List.of("g-1", "g-2", "g-3")) {
                for (int u = 0; u < 40; u++) {
                    if (random.nextInt(3) > 0) {
                        items.add(item);
                        users.add("u" + u);
                    }
                }
            }
            calls.add(call(like, items, users));
        }
        List<RowSet<Row>> answers = Uni.join().all(calls).andFailFast().await().indefinitely();
        long liked = 0;
        long unliked = 0;
        for (int call = 0; call < answers.size(); call++) {
            for (Row row : answers.get(call)) {
                if (row.getBoolean("changed")) {
                    if (call % 3 != 2) {
                        liked++;
                    } else {
                        unliked++;
                    }
                }
            }
        }
        assertEquals(liked - unliked, database.count("SELECT count(*) FROM likes"), "each change answered is a row added or removed");
        assertEquals(Map.of(), database.drift());
        assertEquals(Map.of(), database.windowDrift());
    }

    @Test
    void answersInTheColumnsOfTheSingleNodeStatements() {
        database.update("INSERT INTO suspended_users (user_id) VALUES ('banned')");
        database.update("INSERT INTO removed_items (item_id) VALUES ('gone')");
        List<Row> first = rows(call(true, List.of("a", "a", "gone", "a"), List.of("x", "y", "x", "banned")));
        assertTrue(first.get(0).getBoolean("changed"));
        assertEquals(2L, first.get(0).getLong("new_count"), "the item's count after the call");
        assertTrue(first.get(1).getBoolean("changed"));
        assertEquals("removed", first.get(2).getString("barred"));
        assertEquals("suspended", first.get(3).getString("barred"));

        List<Row> again = rows(call(true, List.of("a"), List.of("x")));
        assertFalse(again.get(0).getBoolean("changed"), "a repeat changes nothing");
        assertTrue(again.get(0).getBoolean("seen"));
        assertEquals(2L, again.get(0).getLong("seen_count"));
        assertNull(again.get(0).getInteger("wait"), "no toggle limits on Citus");

        List<Row> unliked = rows(call(false, List.of("a", "a"), List.of("y", "nobody")));
        assertTrue(unliked.get(0).getBoolean("changed"));
        assertEquals(1L, unliked.get(0).getLong("new_count"));
        assertFalse(unliked.get(1).getBoolean("changed"));
        assertFalse(unliked.get(1).getBoolean("seen"));
        assertEquals(1L, unliked.get(1).getLong("seen_count"));
        assertEquals(Map.of(), database.drift());
        assertEquals(Map.of(), database.windowDrift());
    }

    @Test
    void agingMovesAGroupsMinutesOutOfTheWindow() {
        OffsetDateTime twoHoursAgo = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).minusHours(2);
        rows(pool.preparedQuery(CLICKS).execute(Tuple.of("w-1", true, new String[] {"w-1", "w-1", "w-2"},
                new String[] {"p", "q", "p"}, twoHoursAgo)));
        assertEquals(2L, database.count("SELECT likes_hour FROM like_counts WHERE item_id = 'w-1'"));
        long moved = database.count("SELECT likes_age_group($1, $2, $3, $4)", "w-1", new String[] {"w-1", "w-2"},
                (short) 3, twoHoursAgo.plusMinutes(1));
        assertEquals(2, moved, "one bucket of each item left the hour");
        assertEquals(0L, database.count("SELECT sum(likes_hour) FROM like_counts"));
        assertEquals(3L, database.count("SELECT sum(likes_day) FROM like_counts"));
        assertEquals(0L, database.count("SELECT likes_age_group('w-1', ARRAY['w-1'], 3::smallint, $1)", twoHoursAgo.plusMinutes(1)),
                "a second pass finds nothing left to move");
        // As the aging job does after a pass: the hour now counts from there.
        database.update("UPDATE like_windows SET since = $1 WHERE name = 'hour'", twoHoursAgo.plusMinutes(1));
        assertEquals(Map.of(), database.windowDrift());
    }

    /**
     * V13 set each shard-group function to plan for its arguments (a worker's cached plans grew
     * without bound); a later CREATE OR REPLACE (V14's likes_age_group) drops that unless it says so again.
     */
    @Test
    void everyShardGroupFunctionKeepsItsCustomPlans() {
        List<String> functions = List.of("likes_click_group", "likes_click_recorded", "likes_age_group", "likes_hot_rebase_group",
                "likes_lifecycle_group", "likes_limit_group", "likes_limit_refund", "likes_import_group");
        RowSet<Row> rows = pool.preparedQuery("SELECT proname::text FROM pg_proc WHERE proname::text = ANY($1)"
                        + " AND 'plan_cache_mode=force_custom_plan' = ANY(coalesce(proconfig, '{}'))")
                .execute(Tuple.of((Object) functions.toArray(new String[0]))).await().indefinitely();
        List<String> kept = new ArrayList<>();
        rows.forEach(row -> kept.add(row.getString(0)));
        Collections.sort(kept);
        List<String> expected = new ArrayList<>(functions);
        Collections.sort(expected);
        assertEquals(expected, kept);
    }

    @Test
    void theShardHashIsPostgresqlsHashtext() {
        List<String> values = new ArrayList<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 2000; i++) {
            StringBuilder value = new StringBuilder();
            int length = random.nextInt(0, 65);
            for (int c = 0; c < length; c++) {
                value.appendCodePoint(random.nextInt(10) == 0 ? random.nextInt(0xa0, 0x3000) : random.nextInt(0x21, 0x7f));
            }
            values.add(value.toString());
        }
        Collections.shuffle(values);
        RowSet<Row> rows = pool.preparedQuery("SELECT v, hashtext(v) FROM unnest($1::varchar[]) v")
                .execute(Tuple.of((Object) values.toArray(new String[0]))).await().indefinitely();
        for (Row row : rows) {
            assertEquals(row.getInteger(1), ShardHash.of(row.getString(0)), row.getString(0));
        }
        assertEquals(values.size(), rows.size());
    }

    private Uni<RowSet<Row>> call(boolean like, List<String> items, List<String> users) {
        return pool.preparedQuery(CLICKS).execute(Tuple.of(items.get(0), like, items.toArray(new String[0]),
                users.toArray(new String[0]), OffsetDateTime.now(ZoneOffset.UTC)));
    }

    private static List<Row> rows(Uni<RowSet<Row>> call) {
        List<Row> rows = new ArrayList<>();
        call.await().indefinitely().forEach(rows::add);
        return rows;
    }
}
