package dev.likes.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Apache Kafka broker (KRaft, one node) on 127.0.0.1, run as a process of its own by
 * src/test/kafka/broker.sh from Kafka's own artifacts; its data and log are in target/kafka-{name}.
 * As a Quarkus test resource it starts one for the test class, with the topic of the events in four
 * partitions, and points the service at it ({@code kafka.bootstrap.servers}).
 */
public class KafkaBroker implements QuarkusTestResourceLifecycleManager {

    public static final String TOPIC = "likes.events";

    private static KafkaBroker current;

    private String name;
    private int port;
    private int controllerPort;
    private Process process;

    /** Only for Quarkus, as a test resource: see {@link #start(String)} otherwise. */
    public KafkaBroker() {
    }

    /** Starts a broker of its own, with no data yet, on free ports, with {@link #TOPIC} in four partitions. */
    public static KafkaBroker start(String name) {
        KafkaBroker broker = new KafkaBroker();
        broker.name = name;
        Directories.deleteTree(broker.dir());
        broker.port = freePort();
        broker.controllerPort = freePort();
        broker.startAgain();
        broker.createTopic(TOPIC, 4);
        return broker;
    }

    @Override
    public Map<String, String> start() {
        current = start("events-test");
        // Short producer timeouts, so that a broker killed for 10 s fails relay rounds within the test.
        return Map.of("kafka.bootstrap.servers", current.bootstrap(),
                "kafka.request.timeout.ms", "2000",
                "kafka.delivery.timeout.ms", "4000",
                "kafka.max.block.ms", "2000");
    }

    @Override
    public void stop() {
        if (current != null) {
            current.kill();
        }
    }

    /** The broker of the test class under way (as a test resource). */
    public static KafkaBroker current() {
        return current;
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Starts the process (again, after {@link #kill()}, with its data) and waits until it answers. */
    public void startAgain() {
        ProcessBuilder builder = new ProcessBuilder("bash", "src/test/kafka/broker.sh", "run", dir().toString(),
                String.valueOf(port), String.valueOf(controllerPort))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/kafka-" + name + ".log")));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (Admin admin = admin()) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the Kafka broker exited; see target/kafka-" + name + ".log");
                }
                try {
                    admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the Kafka broker did not answer within 120 s; see target/kafka-" + name + ".log");
                    }
                }
            }
        }
    }

    /** SIGKILL: the broker stops at once, as a crashed one would. */
    public void kill() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public void createTopic(String topic, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create the topic " + topic, e);
        }
    }

    private Path dir() {
        return Path.of("target", "kafka-" + name).toAbsolutePath();
    }

    private Admin admin() {
        Properties settings = new Properties();
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        return Admin.create(settings);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
