package dev.likes.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.likes.db.AdvisoryLock;
import dev.likes.db.DatabaseOptions;
import dev.likes.support.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The leader's work is fenced by the database: once another session takes the leader lock, the old
 * leader's statements under way are ended, and a connection that cannot show its term's lock session
 * still holds the lock ends itself before it serves anything.
 */
@QuarkusTest
class LeaderFenceTest {

    @Inject
    Leadership leadership;
    @Inject
    LeaderJobs jobs;
    @Inject
    DatabaseOptions databases;
    @Inject
    Vertx vertx;
    @Inject
    Database database;

    @Test
    void whenAnotherTakesTheLeadTheOldLeadersWorkStopsAndIsRefused() throws Exception {
        await(leadership::isLeader, "the test's replica leads");
        SqlClient oldTerm = jobs.client();
        assertEquals(1, oldTerm.query("SELECT 1").execute().await().indefinitely().iterator().next().getInteger(0).intValue());
        // Work of the old term, under way as the lead changes hands.
        CompletableFuture<?> longStatement = oldTerm.query("SELECT pg_sleep(20)").execute().subscribeAsCompletionStage();
        await(() -> database.count("SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(20)'") == 1,
                "the old term's statement runs");

        PgConnection usurper = PgConnection.connect(vertx, databases.primary()).await().indefinitely();
        try {
            // The old leader's lock session is lost (its replica may retake it: it is ended until the usurper has it),
            // then the usurper does what a replica that takes the lead does.
            await(() -> {
                database.update("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'likes-leadership'");
                return usurper.query(AdvisoryLock.LEADER.tryLock()).execute().await().indefinitely().iterator().next().getBoolean(0);
            }, "the lock is free once the old session is gone");
            long ended = usurper.query(Leadership.TAKE_OVER).execute().await().indefinitely().iterator().next().getLong("ended");
            assertTrue(ended >= 1, "the old term's connections were ended: " + ended);

            assertThrows(Exception.class, () -> longStatement.get(10, TimeUnit.SECONDS), "the statement under way was ended");
            await(() -> !leadership.isLeader(), "the old leader sees its term end");
            assertThrows(NotLeaderException.class, jobs::client, "no more work for a replica that does not lead");
            assertThrows(Exception.class, () -> oldTerm.query("SELECT 1").execute().await().atMost(Duration.ofSeconds(10)),
                    "the old term's pool serves nothing");
        } finally {
            usurper.close().await().indefinitely(); // the lock goes with the session: the replica leads again
        }
        await(leadership::isLeader, "the replica leads again, in a new term");
        assertFalse(oldTerm == jobs.client(), "a new term, a new pool");
        assertEquals(1, jobs.client().query("SELECT 1").execute().await().indefinitely().iterator().next().getInteger(0).intValue());
    }

    @Test
    void aConnectionWhoseTermsSessionDoesNotHoldTheLockEndsItself() {
        PgConnection connection = PgConnection.connect(vertx, databases.primary()).await().indefinitely();
        try {
            int noLockHolder = Integer.MAX_VALUE; // no backend has this pid
            assertThrows(Exception.class, () -> connection.preparedQuery(LeaderPool.PROVE).execute(Tuple.of(noLockHolder))
                    .await().atMost(Duration.ofSeconds(10)));
            assertThrows(Exception.class, () -> connection.query("SELECT 1").execute().await().atMost(Duration.ofSeconds(10)),
                    "the session is over");
        } finally {
            connection.close().await().indefinitely();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " within 15 s");
            Thread.sleep(50);
        }
    }
}
