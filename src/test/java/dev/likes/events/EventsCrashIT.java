package dev.likes.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.likes.support.Clicks;
import dev.likes.support.Database;
import dev.likes.support.EventLog;
import dev.likes.support.FaultDrill;
import dev.likes.support.KafkaBroker;
import dev.likes.support.LocalPostgres;
import dev.likes.support.PackagedService;
import dev.likes.support.PrivatePostgres;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * Two replicas of the packaged service publish events to a real Kafka broker; whichever leads,
 * and so runs the relay, is killed (SIGKILL) under load and started again, twice (the first kill is
 * also the clicking clients' replica). The other takes the relay over each time; every acknowledged
 * change is published, in order per item (duplicates allowed, counted).
 */
class EventsCrashIT {

    static LocalPostgres postgres;
    static KafkaBroker broker;
    static Vertx vertx;
    static Database database;

    @BeforeAll
    static void start() {
        postgres = LocalPostgres.primary(PrivatePostgres.PORT);
        broker = KafkaBroker.start("events-crash-it");
        vertx = Vertx.vertx();
        Pool pool = Pool.pool(vertx, PgConnectOptions.fromUri(postgres.url()).setUser("likes"), new PoolOptions().setMaxSize(2));
        database = new Database(pool);
    }

    @AfterAll
    static void stop() {
        vertx.closeAndAwait();
        broker.kill();
        postgres.destroy();
    }

    @Test
    void aKilledRelayLosesNoEvent() throws Exception {
        Map<String, String> settings = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrap(),
                "LIKES_AUTH_ENABLED", "false",
                "LIKES_LIMIT_CHANGES_PER_ITEM", "0",
                "LIKES_LIMIT_CHANGES_PER_USER", "0",
                "LIKES_LIMIT_WRITES_PER_USER", "0");
        PackagedService first = new PackagedService("events-crash-it-a", 18086, PrivatePostgres.PORT, settings).start();
        awaitLeader(first);
        PackagedService second = new PackagedService("events-crash-it-b", 18087, PrivatePostgres.PORT, settings).start();
        List<PackagedService> replicas = List.of(first, second);
        AtomicInteger kills = new AtomicInteger();
        List<Long> takeovers = new CopyOnWriteArrayList<>();
        try {
            // Clicks go to the first replica, which leads at first: its kill is also the clients' outage.
            Clicks clicks = FaultDrill.likesAndUnlikesWhile(first.base(), database, () -> {
                if (kills.get() < 2) {
                    Thread.sleep(300);
                    PackagedService leader = replicas.stream().filter(EventsCrashIT::leads).findFirst().orElseThrow();
                    PackagedService other = leader == first ? second : first;
                    leader.kill();
                    long killed = System.nanoTime();
                    kills.incrementAndGet();
                    awaitLeader(other);
                    takeovers.add(Duration.ofNanos(System.nanoTime() - killed).toMillis());
                    leader.start();
                }
                Thread.sleep(50);
            });

            Map<String, Long> counts = new HashMap<>();
            clicks.acknowledgedChanges().forEach(change -> counts.put(change.itemId(), database.likeRows(change.itemId())));
            try (EventLog log = new EventLog(broker.bootstrap(), KafkaBroker.TOPIC)) {
                log.readAllRecorded(database, Duration.ofSeconds(60));
                log.assertExact(counts, clicks.acknowledgedChanges());
                System.out.printf("the relaying replica killed %d times: %d acknowledged changes, %d events, %d duplicates; the other took the relay over in %s ms%n",
                        kills.get(), clicks.acknowledgedChanges().size(), log.distinct().size(), log.duplicates(), takeovers);
            }
            assertEquals(2, kills.get());
            assertEquals(2, takeovers.size(), "the other replica took the relay over after each kill");
        } finally {
            first.kill();
            second.kill();
        }
    }

    private static boolean leads(PackagedService service) {
        return service.alive() && service.metric("likes_leader", "") == 1.0;
    }

    private static void awaitLeader(PackagedService service) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (service.metric("likes_leader", "") != 1.0) {
            assertTrue(System.nanoTime() < deadline, "a replica leads within 30 s");
            Thread.sleep(20);
        }
    }
}
