package dev.likes.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.likes.config.LikesConfig;
import dev.likes.db.QueryDeadline;
import dev.likes.ha.LeaderJobs;
import dev.likes.ha.LeaderPool;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The window aging and the hot re-base skip a run while the last one is under way, so a statement
 * of theirs that is never answered would stop them for good on the leader (a stalled week mark could
 * explain the window drift a Citus drill once printed after the coordinator's failover, where the
 * client has been seen never completing a query). With a real
 * fault: the leader's own PostgreSQL backends stopped (SIGSTOP), each statement must fail at the
 * query deadline (the pool's wait, the statement timeout and a second), well before the
 * connection's silence timeout would close it.
 */
@QuarkusTest
class UnansweredJobStatementTest {

    @Inject
    WindowStore windows;
    @Inject
    HotStore hot;
    @Inject
    LeaderJobs jobs;
    @Inject
    Pool pool;
    @Inject
    QueryDeadline queries;
    @Inject
    LikesConfig config;

    @Test
    void aStatementOfTheAgingOrTheReBaseFailsAtTheDeadlineWhenTheServerDoesNotAnswer() throws Exception {
        Instant longAgo = Instant.parse("2000-01-01T00:00:00Z");
        HotStore.Frame frame = hot.frame(jobs.client()).await().atMost(Duration.ofSeconds(30));
        Duration deadline = queries.deadline();
        assertTrue(deadline.compareTo(config.db().silenceTimeout()) < 0, "the deadline comes before the silence timeout");

        HotStore.Frame none = new HotStore.Frame(-1, frame.halfLife(), false);
        // Two at a time, one on each of the pool's two connections (a third would wait for the pool instead).
        List<List<Supplier<Uni<?>>>> rounds = List.of(
                List.of(() -> windows.mark(jobs.client(), RankingWindow.WEEK, longAgo),
                        () -> windows.step(jobs.client(), RankingWindow.HOUR, longAgo, 10)),
                List.of(() -> hot.move(jobs.client(), none, frame), () -> hot.settle(jobs.client(), none)));
        for (List<Supplier<Uni<?>>> round : rounds) {
            // Both connections of the leader's pool open and idle (two statements at once), so that none is made after the stop.
            Uni.join().all(List.of(jobs.client().query("SELECT pg_sleep(0.5)").execute(), jobs.client().query("SELECT pg_sleep(0.5)").execute()))
                    .andFailFast().await().atMost(Duration.ofSeconds(30));
            List<String> backends = leaderBackends();
            assertFalse(backends.isEmpty(), "the leader's connections are open");
            signal("-STOP", backends);
            try {
                long started = System.nanoTime();
                List<Uni<Throwable>> outcomes = new ArrayList<>();
                round.forEach(statement -> outcomes.add(statement.get().onItemOrFailure().transform((item, failure) -> failure)));
                List<Throwable> failures = Uni.join().all(outcomes).andFailFast().await().atMost(deadline.plusSeconds(10));
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertTrue(failures.stream().allMatch(failure -> failure instanceof TimeoutException), "after " + took + ": " + failures);
                assertTrue(took.compareTo(deadline.plusSeconds(5)) < 0, "failed after " + took);
            } finally {
                signal("-CONT", backends);
            }
            // Answered again once the server goes on (marking a minute long past changes nothing: a since never goes back).
            windows.mark(jobs.client(), RankingWindow.WEEK, longAgo).await().atMost(Duration.ofSeconds(30));
        }
    }

    private List<String> leaderBackends() {
        List<String> pids = new ArrayList<>();
        pool.preparedQuery("SELECT pid FROM pg_stat_activity WHERE application_name = $1").execute(Tuple.of(LeaderPool.APPLICATION_NAME))
                .await().atMost(Duration.ofSeconds(10))
                .forEach(row -> pids.add(String.valueOf(row.getInteger("pid"))));
        return pids;
    }

    private static void signal(String signal, List<String> pids) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", signal));
        command.addAll(pids);
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(kill.getInputStream().readAllBytes());
        assertEquals(0, kill.waitFor(), "kill " + signal + " " + pids + ": " + output);
    }
}
