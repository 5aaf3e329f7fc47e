import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The benchmark's consumer of like events (src/bench/run.sh): reads the topic from its end for the
 * given seconds (creating it, in four partitions, if it does not exist) and prints, on one line, how many events arrived (and how many were duplicates) and
 * the latency from each event's {@code at} (its statement's start, just before the click's answer) to
 * its arrival here: p50, p99 and max in ms. Prints "ready" once it is positioned at the end.
 * Run with Kafka's client on the class path: java -cp "$(src/test/kafka/broker.sh classpath)" EventLatency.java
 */
public class EventLatency {

    private static final Pattern AT = Pattern.compile("\"at\":\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("\"eventId\":(\\d+)");

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        long seconds = Long.parseLong(args[2]);
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        List<Double> latencies = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        int duplicates = 0;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            System.out.println("ready");
            System.out.flush();
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            while (System.nanoTime() < end) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    Instant arrived = Instant.now();
                    Matcher at = AT.matcher(record.value());
                    Matcher id = ID.matcher(record.value());
                    if (!at.find() || !id.find()) {
                        throw new IllegalStateException("not an event: " + record.value());
                    }
                    if (!seen.add(Long.parseLong(id.group(1)))) {
                        duplicates++;
                        continue;
                    }
                    latencies.add(Duration.between(Instant.parse(at.group(1)), arrived).toNanos() / 1e6);
                }
            }
        }
        latencies.sort(null);
        System.out.printf("events %d duplicates %d p50_ms %.1f p99_ms %.1f max_ms %.1f%n", latencies.size(), duplicates,
                quantile(latencies, 0.50), quantile(latencies, 0.99), latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1));
    }

    private static double quantile(List<Double> sorted, double q) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }
}
