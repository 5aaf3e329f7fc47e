package dev.likes.events;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import dev.likes.ha.Leadership;
import dev.likes.ops.Gauges;
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
    private final LikesConfig.Events config;
    private final Leadership leadership;
    private final ObjectMapper json;
    private final Map<String, Object> kafka;
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
    private volatile OutboxStore.Backlog backlog;
    private long backlogRead;
    /** Used on the sender thread only. */
    private KafkaProducer<String, String> producer;

    public EventRelay(OutboxStore outbox, LikesConfig config, Leadership leadership, ObjectMapper json,
            @Identifier("default-kafka-broker") Map<String, Object> kafka, MeterRegistry registry, Gauges gauges) {
        this.outbox = outbox;
        this.config = config.events();
        this.leadership = leadership;
        this.json = json;
        this.kafka = kafka;
        this.published = Counter.builder("likes.events.published")
                .description("Like events the broker acknowledged and the relay deleted from the outbox")
                .register(registry);
        this.failures = Counter.builder("likes.events.relay.failures")
                .description("Relay rounds that failed (broker or database away); their events go again")
                .register(registry);
        this.lag = Timer.builder("likes.events.relay.lag")
                .description("Per relay round: from the oldest event's commit to the broker's acknowledgement of it")
                .register(registry);
        gauges.register(Gauge.builder("likes.events.outbox.pending", () -> backlog == null ? Double.NaN : backlog.pending())
                .description("Events in the outbox still to go to Kafka (at most; read by the leader, NaN elsewhere)"));
        gauges.register(Gauge.builder("likes.events.outbox.oldest.age", () -> backlog == null ? Double.NaN : backlog.oldestSeconds())
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
            backlog = null;
            later(config.relayInterval());
            return;
        }
        if (!warmed) {
            // The producer's first send waits for the cluster's metadata and a producer id: get them
            // now, so that the first events do not wait for them.
            warmed = true;
            sender.execute(this::warm);
        }
        readBacklog()
                .flatMap(ignored -> outbox.next(config.relayBatch()))
                .flatMap(events -> events.isEmpty() ? Uni.createFrom().item(0)
                        : send(events).flatMap(acknowledged -> outbox.published(events)).map(deleted -> {
                            published.increment(events.size());
                            lag.record(Duration.between(Instant.parse(events.get(0).at()), Instant.now()));
                            return events.size();
                        }))
                .emitOn(command -> context.runOnContext(ignored -> command.run()))
                .subscribe().with(
                        sent -> later(sent > 0 ? Duration.ZERO : config.relayInterval()),
                        failure -> {
                            failures.increment();
                            LOG.warnf("Like events could not be relayed this time (they stay in the outbox and go again): %s", failure.toString());
                            sender.execute(this::closeProducer);
                            later(config.relayRetry());
                        });
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

    /** The outbox's backlog for the gauges, read at most every second. */
    private Uni<Void> readBacklog() {
        long now = System.nanoTime();
        if (backlog != null && now - backlogRead < BACKLOG_EVERY.toNanos()) {
            return Uni.createFrom().voidItem();
        }
        backlogRead = now;
        return outbox.backlog().invoke(read -> backlog = read).replaceWithVoid();
    }

    /** Sends the events in order; completes once the broker has acknowledged all of them, fails if any failed. */
    private Uni<Void> send(List<LikeEvent> events) {
        return Uni.createFrom().emitter(emitter -> sender.execute(() -> {
            AtomicBoolean failed = new AtomicBoolean();
            AtomicInteger left = new AtomicInteger(events.size());
            try {
                KafkaProducer<String, String> producer = producer();
                for (LikeEvent event : events) {
                    producer.send(new ProducerRecord<>(config.topic(), event.itemId(), json(event)), (metadata, error) -> {
                        if (error != null) {
                            if (failed.compareAndSet(false, true)) {
                                emitter.fail(error);
                            }
                        } else if (left.decrementAndGet() == 0) {
                            emitter.complete(null);
                        }
                    });
                }
            } catch (RuntimeException e) {
                if (failed.compareAndSet(false, true)) {
                    emitter.fail(e);
                }
            }
        }));
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
     * the guarantees need whatever those say: idempotence and acknowledgement by every in-sync replica.
     */
    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            Map<String, Object> settings = new HashMap<>(kafka);
            settings.remove("group.id"); // Quarkus adds it for consumers; a producer would warn about it.
            settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "likes-events-relay");
            settings.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
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
