package dev.likes.events;

import static dev.likes.support.TestIds.fresh;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.likes.lifecycle.LifecycleJobs;
import dev.likes.support.Clicks;
import dev.likes.support.Clicks.Click;
import dev.likes.support.Database;
import dev.likes.support.EventLog;
import dev.likes.support.EventLog.Change;
import dev.likes.support.KafkaBroker;
import dev.likes.support.Metrics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Like events against a real Kafka broker (KRaft, {@link KafkaBroker}): what a scripted sequence of
 * clicks and lifecycle calls publishes, exactly; 64 racing clients; the broker killed for 10 s under
 * load (its rounds fail meanwhile, and go again). Each reads every event recorded, once the relay has
 * emptied the outbox, and ends with the promises of docs/events.md ({@link EventLog#assertExact}).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBroker.class, restrictToAnnotatedClass = true)
class EventsTest {

    static final int CLIENTS = 64;
    static final Duration PATIENCE = Duration.ofSeconds(60);

    @TestHTTPResource("/")
    URI base;

    @Inject
    Database database;
    @Inject
    LifecycleJobs jobs;

    @AfterEach
    void countsEqualRowsAndTheOutboxEmpties() throws InterruptedException {
        assertEquals(Map.of(), database.drift(), "counters equal their like rows");
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (database.count("SELECT count(*) FROM like_events") > 0) {
            assertTrue(System.nanoTime() < deadline, "the relay empties the outbox");
            Thread.sleep(50);
        }
    }

    @Test
    void aScriptedSequencePublishesExactlyItsEventsInOrder() throws IOException {
        String a = fresh("evented");
        String b = fresh("evented");
        String leaver = fresh("leaver");
        like(a, leaver);
        like(a, leaver); // a repeat changes nothing: no event
        like(a, "u2");
        unlike(a, leaver);
        unlike(a, leaver);
        like(b, leaver);
        like(b, "u3");
        String c = fresh("evented");
        String suspended = fresh("suspended");
        like(c, suspended);
        like(c, "u5");
        runUntilDone(given().delete("/v1/users/{user}/likes", leaver).then().statusCode(202).extract().path("id"));
        runUntilDone(given().put("/v1/admin/users/{user}/suspension", suspended).then().statusCode(202).extract().path("id"));
        runUntilDone(given().delete("/v1/admin/users/{user}/suspension", suspended).then().statusCode(202).extract().path("id"));
        runUntilDone(given().delete("/v1/items/{item}", c).then().statusCode(202).extract().path("id"));

        try (EventLog log = new EventLog(KafkaBroker.current().bootstrap(), KafkaBroker.TOPIC)) {
            log.readAllRecorded(database, PATIENCE);
            assertEquals(List.of(
                    new Change("liked", a, leaver, 1), new Change("liked", a, "u2", 2), new Change("unliked", a, leaver, 1)),
                    changes(log.of(a)));
            assertEquals(List.of(
                    new Change("liked", b, leaver, 1), new Change("liked", b, "u3", 2), new Change("erased", b, leaver, 1)),
                    changes(log.of(b)));
            assertEquals(List.of(
                    new Change("liked", c, suspended, 1), new Change("liked", c, "u5", 2),
                    new Change("suspended", c, suspended, 1), new Change("reinstated", c, suspended, 2),
                    new Change("removed", c, suspended, 1), new Change("removed", c, "u5", 0)),
                    changes(log.of(c)));
            EventLog.Event first = log.of(a).get(0);
            assertEquals(a, first.key(), "keyed by item");
            assertTrue(first.body().path("at").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), "at: " + first.body());
            assertEquals(documentedFields(), iterate(first.body().fieldNames()).stream().sorted().toList(),
                    "the fields of openapi/likes-events.yaml");
            log.assertExact(Map.of(a, 1L, b, 1L, c, 0L), List.of());
        }
    }

    @Test
    void racingClientsGetEveryAcknowledgedChangePublishedOnce() {
        Clicks clicks = new Clicks(base);
        List<String> items = IntStream.range(0, 3).mapToObj(i -> fresh("raced")).toList();
        Random random = new Random(16);
        List<Click> racing = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String item = items.get(random.nextInt(items.size()));
            String user = "user-" + random.nextInt(40);
            racing.add(random.nextInt(3) < 2 ? Click.like(item, user) : Click.unlike(item, user));
        }
        assertTrue(clicks.concurrently(CLIENTS, racing).stream().allMatch(answer -> answer.status() == 200));

        Map<String, Long> counts = counts(items);
        try (EventLog log = new EventLog(KafkaBroker.current().bootstrap(), KafkaBroker.TOPIC)) {
            log.readAllRecorded(database, PATIENCE);
            log.assertExact(counts, clicks.acknowledgedChanges());
            assertEquals(clicks.acknowledgedChanges().size(), items.stream().mapToInt(item -> log.of(item).size()).sum(),
                    "one event for each change, none for a click that changed nothing");
        }
    }

    @Test
    void nothingIsLostWhileTheBrokerIsDownForTenSeconds() throws Exception {
        Clicks clicks = new Clicks(base);
        List<String> items = IntStream.range(0, 4).mapToObj(i -> fresh("outage")).toList();
        double failuresBefore = Metrics.value("likes_events_relay_failures_total", "");
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            Random random = new Random(c);
            Thread client = new Thread(() -> {
                while (!done.get()) {
                    String item = items.get(random.nextInt(items.size()));
                    String user = "user-" + random.nextInt(50);
                    clicks.send(random.nextBoolean() ? Click.like(item, user) : Click.unlike(item, user));
                }
            });
            client.start();
            clients.add(client);
        }
        long waitingMost;
        try {
            Thread.sleep(1000);
            KafkaBroker.current().kill();
            Thread.sleep(10_000);
            waitingMost = database.count("SELECT count(*) FROM like_events");
            KafkaBroker.current().startAgain();
            Thread.sleep(2000);
        } finally {
            done.set(true);
            for (Thread client : clients) {
                client.join();
            }
        }
        assertTrue(waitingMost > 100, "clicks went on, their events waited in the outbox: " + waitingMost);

        Map<String, Long> counts = counts(items);
        try (EventLog log = new EventLog(KafkaBroker.current().bootstrap(), KafkaBroker.TOPIC)) {
            log.readAllRecorded(database, PATIENCE);
            log.assertExact(counts, clicks.acknowledgedChanges());
            assertTrue(Metrics.value("likes_events_relay_failures_total", "") > failuresBefore,
                    "relay rounds failed while the broker was away (KafkaBroker gives the producer short timeouts), and went again");
            System.out.printf("broker down 10 s: %d acknowledged changes, %d events waited at most, %d duplicates, %.0f failed relay rounds%n",
                    clicks.acknowledgedChanges().size(), waitingMost, log.duplicates(),
                    Metrics.value("likes_events_relay_failures_total", "") - failuresBefore);
        }
    }

    private void runUntilDone(String job) {
        while (!"done".equals(given().get("/v1/lifecycle/jobs/{id}", job).then().statusCode(200).extract().path("state"))) {
            jobs.pass().await().indefinitely();
        }
    }

    private Map<String, Long> counts(List<String> items) {
        Map<String, Long> counts = new HashMap<>();
        items.forEach(item -> counts.put(item, database.likeRows(item)));
        return counts;
    }

    private static void like(String item, String user) {
        given().put("/v1/items/{item}/likes/{user}", item, user).then().statusCode(200);
    }

    private static void unlike(String item, String user) {
        given().delete("/v1/items/{item}/likes/{user}", item, user).then().statusCode(200);
    }

    private static List<Change> changes(List<EventLog.Event> events) {
        return events.stream().map(e -> new Change(e.type(), e.itemId(), e.userId(), e.likes())).toList();
    }

    /** The fields openapi/likes-events.yaml gives an event, every one of them required. */
    private static List<String> documentedFields() throws IOException {
        JsonNode schema = new ObjectMapper(new YAMLFactory()).readTree(Path.of("openapi", "likes-events.yaml").toFile())
                .path("components").path("schemas").path("LikeEvent");
        List<String> fields = iterate(schema.path("properties").fieldNames()).stream().sorted().toList();
        assertEquals(fields, iterate(schema.path("required").elements()).stream().map(JsonNode::asText).sorted().toList());
        assertEquals(Arrays.stream(EventType.values()).map(type -> type.label).toList(),
                iterate(schema.path("properties").path("type").path("enum").elements()).stream().map(JsonNode::asText).toList());
        return fields;
    }

    private static <T> List<T> iterate(Iterator<T> iterator) {
        List<T> list = new ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
    }
}
