package dev.likes.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Everything on the events topic, read from its start as a consumer would, with what a consumer
 * does with at-least-once delivery: drop an event whose {@code eventId} it has seen. Its checks are
 * the promises of docs/events.md.
 */
public final class EventLog implements AutoCloseable {

    /** An event as consumed: where it was, and what it says. */
    public record Event(int partition, long offset, String key, JsonNode body) {

        public long eventId() {
            return body.path("eventId").asLong();
        }

        public String type() {
            return body.path("type").asText();
        }

        public String itemId() {
            return body.path("itemId").asText();
        }

        public String userId() {
            return body.path("userId").asText();
        }

        public long likes() {
            return body.path("likes").asLong();
        }

        /** +1 for an event that added a like, -1 for one that took one away. */
        public int step() {
            return switch (type()) {
                case "liked", "reinstated" -> 1;
                default -> -1;
            };
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<String, String> consumer;
    private final List<TopicPartition> partitions;
    private final List<Event> all = new ArrayList<>();

    public EventLog(String bootstrap, String topic) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer());
        partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * Waits until the relay has emptied the outbox (it deletes an event only once the broker has
     * acknowledged it), then reads everything the topic holds now: every event recorded so far.
     */
    public EventLog readAllRecorded(Database database, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (database.count("SELECT count(*) FROM like_events") > 0) {
            assertTrue(System.nanoTime() < deadline, "the relay emptied the outbox within " + patience);
            Clicks.sleep(50);
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        return readUntil(read -> end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue()),
                Duration.ofNanos(Math.max(deadline - System.nanoTime(), Duration.ofSeconds(5).toNanos())));
    }

    /** Reads on until {@code done} holds of what was read (or fails after {@code patience}). */
    public EventLog readUntil(Predicate<EventLog> done, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!done.test(this)) {
            assertTrue(System.nanoTime() < deadline, "the events did not all arrive within " + patience + "; read " + all.size());
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                try {
                    all.add(new Event(record.partition(), record.offset(), record.key(), JSON.readTree(record.value())));
                } catch (Exception e) {
                    throw new IllegalStateException("not an event: " + record.value(), e);
                }
            }
        }
        return this;
    }

    /** Every event read, duplicates too, in the order read. */
    public List<Event> all() {
        return all;
    }

    /** Events read more than once (after a relay round that failed, or a relay that died). */
    public int duplicates() {
        return all.size() - distinct().size();
    }

    /** Each event once: its first appearance, in the order read. */
    public List<Event> distinct() {
        Set<Long> seen = new HashSet<>();
        return all.stream().filter(e -> seen.add(e.eventId())).toList();
    }

    /** An item's events, each once, in the order a consumer of its partition gets them. */
    public List<Event> of(String itemId) {
        return distinct().stream().filter(e -> e.itemId().equals(itemId)).toList();
    }

    /**
     * The promises, for items that had no likes before the test: each event is keyed by its item; an
     * item's events come in increasing eventId order, each a step of one from the one before, from 0
     * to the item's count now; and every acknowledged change is among them.
     */
    public void assertExact(Map<String, Long> counts, List<Change> acknowledged) {
        for (Event event : all) {
            assertEquals(event.itemId(), event.key(), "an event is keyed by its item");
        }
        for (Map.Entry<String, Long> item : counts.entrySet()) {
            long likes = 0;
            long lastId = 0;
            for (Event event : of(item.getKey())) {
                assertTrue(event.eventId() > lastId, "events of " + item.getKey() + " in order: " + event.eventId() + " after " + lastId);
                likes += event.step();
                assertEquals(likes, event.likes(), "each event of " + item.getKey() + " moves its count by one: " + event.body());
                lastId = event.eventId();
            }
            assertEquals(item.getValue(), likes, "the events of " + item.getKey() + " end at its count");
        }
        Map<Change, Integer> published = new LinkedHashMap<>();
        distinct().forEach(e -> published.merge(new Change(e.type(), e.itemId(), e.userId(), e.likes()), 1, Integer::sum));
        List<Change> missing = acknowledged.stream().filter(c -> !published.containsKey(c)).collect(Collectors.toList());
        assertEquals(List.of(), missing, "every acknowledged change has its event");
    }

    /** A change as a click's answer or an event tells it. */
    public record Change(String type, String itemId, String userId, long likes) {
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(1));
    }
}
