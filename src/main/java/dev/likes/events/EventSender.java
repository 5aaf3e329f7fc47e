package dev.likes.events;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.likes.config.LikesConfig;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;

/**
 * The relay's Kafka producer ({@link EventRelay}), on a thread of its own, since
 * {@link KafkaProducer#send} may block while it waits for the cluster's metadata: sends a round's
 * events keyed by item id (an item's events share a partition and keep their order) and tells when
 * the broker has acknowledged every one.
 */
@ApplicationScoped
public class EventSender {

    private static final Logger LOG = Logger.getLogger(EventSender.class);

    private final String topic;
    private final ObjectMapper json;
    private final Map<String, Object> kafka;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
        Thread sending = new Thread(task, "likes-events-relay");
        sending.setDaemon(true);
        return sending;
    });
    /** Used on the sender's thread only. */
    private KafkaProducer<String, String> producer;

    public EventSender(LikesConfig config, ObjectMapper json, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.topic = config.events().topic();
        this.json = json;
        this.kafka = kafka;
    }

    /**
     * The producer's first send waits for the cluster's metadata and a producer id: gets them now, so
     * that the first events do not wait for them.
     */
    void warm() {
        thread.execute(() -> {
            try {
                producer().partitionsFor(topic);
            } catch (RuntimeException e) {
                LOG.warnf("Kafka did not answer yet (events wait in the outbox meanwhile): %s", e.toString());
            }
        });
    }

    /** Closes the producer (the lead is gone: no send of this replica's may still be under way beside the next leader's). */
    void close() {
        thread.execute(this::closeProducer);
    }

    void stop() {
        close();
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends the events in order; completes once the broker has acknowledged all of them, fails if any
     * failed. On the first failure the producer is closed at once, from the failing callback, so that
     * none of the round's later events can still reach the broker ahead of the failed one: the round
     * goes again, whole and in order, with a new producer.
     */
    Uni<Void> send(List<LikeEvent> events) {
        return Uni.createFrom().emitter(emitter -> thread.execute(() -> {
            AtomicBoolean failed = new AtomicBoolean();
            AtomicInteger left = new AtomicInteger(events.size());
            KafkaProducer<String, String> producer = null;
            try {
                producer = producer();
                KafkaProducer<String, String> sending = producer;
                for (LikeEvent event : events) {
                    sending.send(new ProducerRecord<>(topic, event.itemId(), json(event)), (metadata, error) -> {
                        if (error != null) {
                            if (failed.compareAndSet(false, true)) {
                                sending.close(Duration.ZERO);
                                thread.execute(() -> forget(sending));
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

    private void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }
}
