package dev.likes.events;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.likes.config.LikesConfig;
import dev.likes.citus.CitusCluster;
import dev.likes.events.RelaySource.Backlog;
import dev.likes.ha.LeaderJobs;
import dev.likes.ha.LeaderPool;
import dev.likes.ha.Leadership;
import dev.likes.metrics.Gauges;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Publishes the outbox to Kafka, on the leader only ({@link Leadership}): a round takes the oldest
 * events (at most {@code likes.events.relay-batch}, in event id order), sends them keyed by item id,
 * so that each item's events share a partition and keep their order, waits until the broker has
 * acknowledged every one ({@code acks=all}, idempotent producer), and only then deletes them. A round
 * that fails deletes nothing: its events go again, in the same order, in a later round, with a new
 * producer. Hence at least once, in order per item: in each partition every event first appears after
 * the item's earlier ones (see docs/events.md).
 *
 * <p>The database work is reactive, on one Vert.x context; the producer lives on a thread of its own,
 * since {@link KafkaProducer#send} may block while it waits for the cluster's metadata.
 */
@ApplicationScoped
public class EventRelay {

    private static final Logger LOG = Logger.getLogger(EventRelay.class);
    private static final Duration BACKLOG_EVERY = Duration.ofSeconds(1);

    private final OutboxStore outbox;
    private final ShardedOutbox sharded;
    private final CitusCluster citus;
    private final LikesConfig.Events config;
    private final Leadership leadership;
    private final LeaderJobs jobs;
    private final ObjectMapper json;
    private final Map<String, Object> kafka;
    private final LeaderPool relay;
    private final LeaderPool shardedRelay;
    private final Counter published;
    private final Counter failures;
    private final Timer lag;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "likes-events-relay");
        thread.setDaemon(true);
        return thread;
    });

    private Vertx vertx;
    private Context context;
    private volatile boolean stopped;
    private boolean warmed;
    private volatile Backlog backlog;
    private final Duration leaderCheck;
    /** Used on the sender thread only. */
    private KafkaProducer<String, String> producer;

    public EventRelay(OutboxStore outbox, ShardedOutbox sharded, CitusCluster citus, LikesConfig config, Leadership leadership,
            LeaderJobs jobs, ObjectMapper json, @Identifier("default-kafka-broker") Map<String, Object> kafka, MeterRegistry registry,
            Gauges gauges) {
        this.outbox = outbox;
        this.sharded = sharded;
        this.citus = citus;
        this.config = config.events();
        this.leadership = leadership;
        this.jobs = jobs;
        this.json = json;
        this.kafka = kafka;
        this.leaderCheck = config.leader().checkInterval();
        // One connection, apart from the requests' pool, so that the rounds neither wait behind clicks
        // nor take a connection from them; fenced to the leader's term, so that a relay that lost the lead
        // deletes nothing. Its commits do not wait for the disk (synchronous_commit=off): they only
        // delete published events, and a delete lost in a crash only sends those events again, which at
        // least once allows. The clicks' own commits, which record the events, do wait; without this,
        // the relay's many small commits would compete with theirs for the disk's flushes.
        Duration patience = config.db().statementTimeout().plus(config.db().acquireTimeout());
        this.relay = leadership.pool(1, patience, options -> options.addProperty("synchronous_commit", "off"));
        // On Citus the relay also writes the ids it sends (ShardedOutbox): those commits must wait.
        this.shardedRelay = leadership.pool(1, patience, options -> options);
        this.published = Counter.builder("likes.events.published")
                .description("Like events the broker acknowledged and the relay deleted from the outbox")
                .register(registry);
        this.failures = Counter.builder("likes.events.relay.failures")
                .description("Relay rounds that failed (broker or database away); their events go again")
                .register(registry);
        this.lag = Timer.builder("likes.events.relay.lag")
                .description("Per relay round: from the oldest event's statement to the broker's acknowledgement of it")
                .register(registry);
        gauges.register(Gauge.builder("likes.events.outbox.pending", () -> backlog().map(read -> (double) read.pending()).orElse(Double.NaN))
                .description("Events in the outbox still to go to Kafka (at most; read by the leader, NaN elsewhere)"));
        gauges.register(Gauge.builder("likes.events.outbox.oldest.age", () -> backlog().map(Backlog::oldestSeconds).orElse(Double.NaN))
                .baseUnit("seconds")
                .description("Age of the oldest event still in the outbox (read by the leader, NaN elsewhere)"));
    }

    void start(@Observes StartupEvent start, Vertx vertx) {
        if (!outbox.enabled()) {
            return;
        }
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        LOG.infof("Like events are on: the leader publishes them to the topic %s", config.topic());
        context.runOnContext(ignored -> round());
        // Read apart from the rounds, which may wait on the broker meanwhile.
        jobs.schedule("events-backlog", BACKLOG_EVERY, () -> citus.known(() -> source().backlog(client())).invoke(read -> backlog = read));
    }

    void stop(@Observes ShutdownEvent stop) {
        stopped = true;
        sender.execute(this::closeProducer);
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One round, then the next: at once after a round that found events (so that under load the
     * rounds follow each other and each takes what arrived meanwhile), after the interval when the
     * outbox was empty.
     */
    private void round() {
        if (stopped) {
            return;
        }
        if (!leadership.isLeader()) {
            if (warmed) {
                // The lead is gone: no send of this replica's may still be under way beside the next leader's.
                warmed = false;
                sender.execute(this::closeProducer);
            }
            later(leaderCheck);
            return;
        }
        if (!warmed) {
            // The producer's first send waits for the cluster's metadata and a producer id: get them
            // now, so that the first events do not wait for them.
            warmed = true;
            sender.execute(this::warm);
        }
        Executor onContext = command -> context.runOnContext(ignored -> command.run());
        citus.known(() -> Uni.createFrom().item(this::client)).flatMap(client -> source().next(client, config.relayBatch())
                .flatMap(events -> events.isEmpty() ? Uni.createFrom().item(0)
                        : send(events).emitOn(onContext).flatMap(acknowledged -> source().published(client, events)).map(deleted -> {
                            published.increment(events.size());
                            lag.record(Duration.between(oldest(events), Instant.now()));
                            return events.size();
                        })))
                .emitOn(onContext)
                .subscribe().with(
                        sent -> later(sent > 0 ? Duration.ZERO : config.relayInterval()),
                        failure -> {
                            failures.increment();
                            LOG.warnf("Like events could not be relayed this time (they stay in the outbox and go again): %s", failure.toString());
                            later(config.relayRetry());
                        });
    }

    /** The outbox as this database keeps it: on one PostgreSQL, or spread over a Citus cluster's workers. */
    private RelaySource source() {
        return citus.active() ? sharded : outbox;
    }

    private SqlClient client() {
        return (citus.active() ? shardedRelay : relay).client();
    }

    /** When the round's oldest event was made (on Citus a round is in item order, not in time). */
    private static Instant oldest(List<LikeEvent> events) {
        Instant oldest = Instant.MAX;
        for (LikeEvent event : events) {
            Instant at = Instant.parse(event.at());
            oldest = at.isBefore(oldest) ? at : oldest;
        }
        return oldest;
    }

    private void later(Duration delay) {
        if (stopped) {
            return;
        }
        if (delay.isZero()) {
            context.runOnContext(ignored -> round());
        } else {
            vertx.setTimer(Math.max(1, delay.toMillis()), timer -> round());
        }
    }

    /** The outbox's backlog as last read, while this replica leads (a follower's last reading is stale). */
    private Optional<Backlog> backlog() {
        return leadership.isLeader() ? Optional.ofNullable(backlog) : Optional.empty();
    }

    /**
     * Sends the events in order; completes once the broker has acknowledged all of them, fails if any
     * failed. On the first failure the producer is closed at once, from the failing callback, so that
     * none of the round's later events can still reach the broker ahead of the failed one: the round
     * goes again, whole and in order, with a new producer.
     */
    private Uni<Void> send(List<LikeEvent> events) {
        return Uni.createFrom().emitter(emitter -> sender.execute(() -> {
            AtomicBoolean failed = new AtomicBoolean();
            AtomicInteger left = new AtomicInteger(events.size());
            KafkaProducer<String, String> producer = null;
            try {
                producer = producer();
                KafkaProducer<String, String> sending = producer;
                for (LikeEvent event : events) {
                    sending.send(new ProducerRecord<>(config.topic(), event.itemId(), json(event)), (metadata, error) -> {
                        if (error != null) {
                            if (failed.compareAndSet(false, true)) {
                                sending.close(Duration.ZERO);
                                sender.execute(() -> forget(sending));
                                emitter.fail(error);
                            }
                        } else if (left.decrementAndGet() == 0) {
                            emitter.complete(null);
                        }
                    });
                }
            } catch (RuntimeException e) {
                if (failed.compareAndSet(false, true)) {
                    if (producer != null) {
                        producer.close(Duration.ZERO);
                        forget(producer);
                    }
                    emitter.fail(e);
                }
            }
        }));
    }

    /** A closed producer is made anew by the next round (on the sender thread). */
    private void forget(KafkaProducer<String, String> closed) {
        if (producer == closed) {
            producer = null;
        }
    }

    private String json(LikeEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The producer, made from Quarkus' {@code kafka.*} settings (servers, security, timeouts), with what
     * the guarantees need whatever those say: idempotence, acknowledgement by every in-sync replica,
     * and one request in flight at a time, so that a failed batch has no later batch already on its
     * way. Its waits are bounded so that a broker that is away fails the round within half a minute
     * (the round then goes again with a new producer) rather than Kafka's two minutes.
     */
    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            Map<String, Object> settings = new HashMap<>(kafka);
            settings.remove("group.id"); // Quarkus adds it for consumers; a producer would warn about it.
            settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "likes-events-relay");
            settings.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
            settings.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
            settings.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
            settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
            settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            settings.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    private void warm() {
        try {
            producer().partitionsFor(config.topic());
        } catch (RuntimeException e) {
            LOG.warnf("Kafka did not answer yet (events wait in the outbox meanwhile): %s", e.toString());
        }
    }

    private void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }
}
