package dev.likes.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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
 * Two replicas of the packaged service publish events to a real Kafka broker; the one that leads,
 * and so runs the relay, is killed (SIGKILL) under load and started again, twice. The other takes
 * the relay over; every acknowledged change is published, in order per item (duplicates allowed,
 * counted).
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
        PackagedService leader = new PackagedService("events-crash-it-a", 18086, PrivatePostgres.PORT, settings).start();
        awaitLeader(leader);
        PackagedService other = new PackagedService("events-crash-it-b", 18087, PrivatePostgres.PORT, settings).start();
        AtomicInteger kills = new AtomicInteger();
        AtomicLong takeover = new AtomicLong();
        try {
            Clicks clicks = FaultDrill.likesAndUnlikesWhile(leader.base(), database, () -> {
                if (kills.get() < 2) {
                    Thread.sleep(300);
                    leader.kill();
                    long killed = System.nanoTime();
                    if (kills.incrementAndGet() == 1) {
                        awaitLeader(other);
                        takeover.set(System.nanoTime() - killed);
                    }
                    leader.start();
                }
                Thread.sleep(50);
            });

            Map<String, Long> counts = new HashMap<>();
            clicks.acknowledgedChanges().forEach(change -> counts.put(change.itemId(), database.likeRows(change.itemId())));
            try (EventLog log = new EventLog(broker.bootstrap(), KafkaBroker.TOPIC)) {
                log.readUntil(read -> read.reached(counts), Duration.ofSeconds(60));
                log.assertExact(counts, clicks.acknowledgedChanges());
                System.out.printf("relay killed %d times: %d acknowledged changes, %d events, %d duplicates; the other replica took the relay over in %d ms%n",
                        kills.get(), clicks.acknowledgedChanges().size(), log.distinct().size(), log.duplicates(),
                        Duration.ofNanos(takeover.get()).toMillis());
            }
            assertEquals(2, kills.get());
            assertTrue(other.metric("likes_events_published_total", "") > 0, "the other replica published after the takeover");
        } finally {
            leader.kill();
            other.kill();
        }
    }

    private static void awaitLeader(PackagedService service) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (service.metric("likes_leader", "") != 1.0) {
            assertTrue(System.nanoTime() < deadline, "a replica leads within 30 s");
            Thread.sleep(20);
        }
    }
}
