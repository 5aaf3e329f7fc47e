import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Check 10 of deploy/citus/drill.sh: the like events of a drill, read back from Kafka, against the
 * database (docs/events.md's promises). Reads the whole topic; keeps the events of the items whose
 * id matches ITEMS; and for each such item checks that
 * <ul>
 * <li>an event id met again carries the same event (a duplicate, which at least once allows);
 * <li>each event first appears after the item's earlier ones (its id is higher than theirs);
 * <li>the events walk the item's count one step at a time, from its seeded count (the like rows
 *     SEEDED by SQL before the load, with no events), each step the event's type says;
 * <li>replayed on the seeded likers, they leave exactly the item's like rows now (ROWS), and the last
 *     one's count is the item's counter (COUNTS).
 * </ul>
 * Prints one line, "events read R, duplicates D, items I; ids reused U, out of order O, broken walks
 * W, likers differ L, counts differ C", and exits non-zero when any of U, O, W, L, C is not 0 (the
 * first few cases go to standard error).
 *
 * <pre>java -cp "$(src/test/kafka/broker.sh classpath)" deploy/citus/EventCheck.java BOOTSTRAP TOPIC ITEMS SEEDED ROWS COUNTS</pre>
 * SEEDED and ROWS are CSV lines item,user; COUNTS item,likes.
 */
public class EventCheck {

    private static final Pattern EVENT = Pattern.compile(
            "\"eventId\":(\\d+),\"type\":\"(\\w+)\",\"itemId\":\"([^\"]+)\",\"userId\":\"([^\"]+)\",\"likes\":(-?\\d+)");

    record Event(long id, String type, String item, String user, long likes) {
        boolean adds() {
            return type.equals("liked") || type.equals("reinstated");
        }
    }

    public static void main(String[] args) throws IOException {
        Pattern items = Pattern.compile(args[2]);
        Map<String, Set<String>> likers = pairs(Path.of(args[3]));
        Map<String, Set<String>> rows = pairs(Path.of(args[4]));
        Map<String, Long> counts = new HashMap<>();
        for (String line : Files.readAllLines(Path.of(args[5]))) {
            String[] parts = line.split(",");
            counts.put(parts[0], Long.parseLong(parts[1]));
        }
        Map<Long, Event> seen = new HashMap<>();
        Map<String, List<Event>> byItem = new LinkedHashMap<>();
        int read = 0;
        int duplicates = 0;
        List<String> problems = new ArrayList<>();
        int outOfOrder = 0;
        int reused = 0;
        for (Event event : readAll(args[0], args[1])) {
            read++;
            if (!items.matcher(event.item()).find()) {
                continue;
            }
            Event before = seen.putIfAbsent(event.id(), event);
            if (before != null) {
                duplicates++;
                if (!before.equals(event)) {
                    reused++;
                    problems.add("event id " + event.id() + " carried two events: " + before + " and " + event);
                }
                continue;
            }
            List<Event> history = byItem.computeIfAbsent(event.item(), item -> new ArrayList<>());
            if (!history.isEmpty() && history.get(history.size() - 1).id() > event.id()) {
                outOfOrder++;
                problems.add(event + " came after " + history.get(history.size() - 1));
            }
            history.add(event);
        }
        int broken = 0;
        int differ = 0;
        int countsDiffer = 0;
        Set<String> checked = new TreeSet<>(byItem.keySet());
        rows.keySet().stream().filter(item -> items.matcher(item).find()).forEach(checked::add);
        for (String item : checked) {
            Set<String> now = new HashSet<>(likers.getOrDefault(item, Set.of()));
            long count = now.size();
            boolean walks = true;
            for (Event event : byItem.getOrDefault(item, List.of())) {
                boolean stepped = event.adds() ? now.add(event.user()) : now.remove(event.user());
                count += event.adds() ? 1 : -1;
                if (walks && (!stepped || event.likes() != count)) {
                    walks = false;
                    broken++;
                    problems.add(item + ": " + event + " does not follow from the events before it (count " + count + ")");
                }
            }
            if (!now.equals(rows.getOrDefault(item, Set.of()))) {
                differ++;
                problems.add(item + ": the events leave " + now.size() + " likers, the rows hold " + rows.getOrDefault(item, Set.of()).size());
            }
            if (count != counts.getOrDefault(item, 0L)) {
                countsDiffer++;
                problems.add(item + ": the events end at " + count + ", the counter says " + counts.getOrDefault(item, 0L));
            }
        }
        problems.stream().limit(10).forEach(System.err::println);
        System.out.printf("events read %d, duplicates %d, items %d; ids reused %d, out of order %d, broken walks %d, likers differ %d,"
                + " counts differ %d%n", read, duplicates, checked.size(), reused, outOfOrder, broken, differ, countsDiffer);
        System.exit(reused + outOfOrder + broken + differ + countsDiffer == 0 ? 0 : 1);
    }

    /** Every event on the topic, partition by partition, each in its partition's order. */
    private static List<Event> readAll(String bootstrap, String topic) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<Event> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            for (var info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                TopicPartition partition = new TopicPartition(topic, info.partition());
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                long end = consumer.endOffsets(List.of(partition)).get(partition);
                while (consumer.position(partition) < end) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                        Matcher m = EVENT.matcher(record.value());
                        if (!m.find()) {
                            throw new IllegalStateException("not an event: " + record.value());
                        }
                        events.add(new Event(Long.parseLong(m.group(1)), m.group(2), m.group(3), m.group(4), Long.parseLong(m.group(5))));
                    }
                }
            }
        }
        return events;
    }

    private static Map<String, Set<String>> pairs(Path csv) throws IOException {
        Map<String, Set<String>> pairs = new HashMap<>();
        for (String line : Files.readAllLines(csv)) {
            String[] parts = line.split(",");
            pairs.computeIfAbsent(parts[0], item -> new HashSet<>()).add(parts[1]);
        }
        return pairs;
    }
}
