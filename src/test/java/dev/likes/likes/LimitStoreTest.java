package dev.likes.likes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.likes.ha.LeaderJobs;
import dev.likes.support.Database;
import io.quarkus.test.junit.QuarkusTest;

/** The toggle limits' table on the database: the leader's cleanup forgets idle users, and only them. */
@QuarkusTest
class LimitStoreTest {

    static final Instant NOW = Instant.parse("2030-03-01T12:00:00Z");
    static final OffsetDateTime AT_NOW = OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC);

    @Inject
    LimitStore store;
    @Inject
    Database database;
    @Inject
    LeaderJobs jobs;

    @Test
    void theCleanupForgetsUsersIdleForAMinuteInBatchesAndKeepsTheOthers() {
        seedIdleAndActiveUsers();

        store.forgetIdleSince(jobs.client(), NOW.minus(ChangeLimits.WINDOW)).await().atMost(Duration.ofSeconds(30));

        assertOnlyTheIdleForgotten();
    }

    /** Citus' statement (one DELETE that each shard runs over its rows) forgets the same users. */
    @Test
    void theCitusStatementForgetsTheSameUsers() {
        seedIdleAndActiveUsers();

        database.update(LimitStore.FORGET_SHARDED, AT_NOW.minus(ChangeLimits.WINDOW));

        assertOnlyTheIdleForgotten();
    }

    private void seedIdleAndActiveUsers() {
        database.update("TRUNCATE like_limits");
        // 2,500 idle users (latest change 61 s ago) among 2,500 active ones (one change 10 s ago), interleaved.
        database.seed("""
                INSERT INTO like_limits (user_id, items, times, asked, waits)
                SELECT 'u' || lpad(n::text, 5, '0'), ARRAY['item'],
                       ARRAY[$1::timestamptz - CASE WHEN n % 2 = 0 THEN interval '61 seconds' ELSE interval '10 seconds' END],
                       '{}', '{}'
                FROM generate_series(1, 5000) n
                """, AT_NOW);
        // A user whose log is out of order (replicas' clocks differ): its newest change counts.
        database.update("""
                INSERT INTO like_limits (user_id, items, times, asked, waits)
                VALUES ('skewed', ARRAY['a', 'b'], ARRAY[$1::timestamptz, $1::timestamptz - interval '90 seconds'], '{}', '{}')
                """, AT_NOW);
    }

    private void assertOnlyTheIdleForgotten() {
        assertEquals(2501, database.count("SELECT count(*) FROM like_limits"));
        assertEquals(0, database.count("SELECT count(*) FROM like_limits WHERE times[1] < $1::timestamptz - interval '1 minute'"
                + " AND user_id <> 'skewed'", AT_NOW));
        assertEquals(1, database.count("SELECT count(*) FROM like_limits WHERE user_id = 'skewed'"));
    }
}
