package dev.likes.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.likes.citus.CitusCluster;
import dev.likes.config.EventsSwitch;
import dev.likes.events.OutboxStore;
import dev.likes.ranking.WindowAging;
import dev.likes.support.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The lifecycle's batches on Citus ({@link ShardGroupSteps}: a bounded read, then likes_lifecycle_group
 * per shard group, V9__citus_lifecycle.sql and V11__citus_events.sql) against the single-node statements ({@link LifecycleStore}),
 * here on the tests' plain PostgreSQL, where both run (deploy/citus/drill.sh runs the first on a real
 * cluster): two worlds get the same likes at the same times (now, hours, days and weeks ago, with the
 * windows aged), one is suspended, reinstated, removed and erased by one, the other by the other, in
 * small batches, both recording their events; after each step the two worlds' like rows, set-aside
 * likes, buckets, counters (all-time, windows, hot score to the last digit) and events (each item's,
 * in order, with the count after each) are the same, and the counts equal to their rows.
 */
@QuarkusTest
class ShardGroupStepsTest {

    static final int BATCH = 2;
    static final String WORLDS = "SELECT substr(%1$s, 3) || ' ' || %2$s FROM %3$s WHERE item_id LIKE $1 || '-%%' ORDER BY 1";

    @Inject
    Database database;
    @Inject
    Pool pool;
    @Inject
    CitusCluster citus;
    @Inject
    WindowAging aging;

    /** Both ways with events on (this profile has none): each world's outbox is compared too. */
    LifecycleStore store;
    ShardGroupSteps groups;

    final OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void twoWorldsWithTheSameLikes() {
        OutboxStore recording = new OutboxStore(new EventsSwitch(Optional.of("127.0.0.1:9")));
        store = new LifecycleStore(pool, recording);
        groups = new ShardGroupSteps(citus, recording);
        database.clear();
        for (String world : List.of("s", "g")) {
            List<OffsetDateTime> ages = List.of(now, now.minusHours(2), now.minusDays(3), now.minusDays(10));
            for (int i = 0; i < 6; i++) {
                String item = world + "-" + i;
                like(item, world + "-x", ages.get(i % ages.size()));
                for (int other = 0; other < 3; other++) {
                    like(item, world + "-o" + other, now.minusHours(i + other * 5L));
                }
            }
        }
        aging.age().await().indefinitely();
    }

    @Test
    void theShardGroupStepsLeaveWhatTheSingleNodeStatementsLeave() {
        assertSame("seeded");

        database.update("INSERT INTO suspended_users (user_id) VALUES ('s-x'), ('g-x')");
        assertEquals(List.of(6L, 6L), both(JobKind.SUSPEND_USER, "x"), "like rows moved");
        assertSame("suspended");

        database.update("INSERT INTO removed_items (item_id) VALUES ('s-1'), ('g-1')");
        database.update("DELETE FROM suspended_users");
        assertEquals(List.of(5L, 5L), both(JobKind.REINSTATE_USER, "x"), "every like back but the removed item's");
        assertSame("reinstated");

        assertEquals(List.of(3L, 3L), both(JobKind.REMOVE_ITEM, "1"), "the removed item's likes");
        assertEquals(List.of(4L, 4L), both(JobKind.REMOVE_ITEM, "2"));
        assertSame("removed");

        assertEquals(List.of(4L, 4L), both(JobKind.ERASE_USER, "x"), "the erased user's likes left");
        assertEquals(List.of(0L, 0L), both(JobKind.ERASE_USER, "x"), "a repeat finds nothing");
        assertSame("erased");
    }

    /** The job of {@code kind} for the subject {@code s-<subject>} by the statements, {@code g-<subject>} by the steps; the rows each moved. */
    private List<Long> both(JobKind kind, String subject) {
        return List.of(drain(kind, "s-" + subject, job -> store.step(pool, job, BATCH, now)),
                drain(kind, "g-" + subject, job -> groups.step(pool, job, BATCH, now)));
    }

    private long drain(JobKind kind, String subject, Function<LifecycleJob, Uni<LifecycleStore.Step>> step) {
        LifecycleJob job = new LifecycleJob(UUID.randomUUID(), kind, subject, "running", 0, now, null, List.of());
        long moved = 0;
        LifecycleStore.Step last;
        do {
            last = step.apply(job).await().indefinitely();
            moved += last.moved();
        } while (last.taken() >= BATCH);
        return moved;
    }

    private void assertSame(String when) {
        for (String[] table : new String[][] {
                {"item_id", "user_id || ' ' || created_at", "likes"},
                {"item_id", "user_id || ' ' || created_at", "suspended_likes"},
                {"item_id", "minute || ' ' || likes || ' ' || counted_in", "like_buckets"},
                {"item_id", "likes || ' ' || likes_hour || ' ' || likes_day || ' ' || likes_week || ' ' || hot || ' ' || hot_base",
                        "like_counts"}}) {
            String sql = WORLDS.formatted(table[0], table[1].replace("user_id", "substr(user_id, 3)"), table[2]);
            List<String> single = database.rows(sql, "s");
            assertEquals(single, database.rows(sql, "g"), when + ": " + table[2]);
        }
        assertNotEquals(0L, database.count("SELECT count(*) FROM likes"), when + ": the worlds are not empty");
        assertEquals(database.outbox("s", false), database.outbox("g", true), when + ": like_events");
        assertEquals(Map.of(), database.drift(), when);
        assertEquals(Map.of(), database.windowDrift(), when);
    }

    private void like(String item, String user, OffsetDateTime at) {
        database.update("SELECT count(*) FROM likes_click_group($1, true, ARRAY[$1]::varchar[], ARRAY[$2]::varchar[], $3)",
                item, user, at);
    }
}
