package dev.likes.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged service (target/quarkus-app, after the package phase) run as a process of its own, as
 * production runs it: for tests that kill it, or run several replicas on one database. Its output goes
 * to target/{name}.log.
 */
public final class PackagedService {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static final int MANAGEMENT_OFFSET = 1000;

    private final String name;
    private final int port;
    private final Map<String, String> environment;
    private Process process;

    /** A replica on {@code port} against the database at 127.0.0.1:{@code dbPort}, with {@code settings} on top. */
    public PackagedService(String name, int port, int dbPort, Map<String, String> settings) {
        this.name = name;
        this.port = port;
        this.environment = new HashMap<>(Map.of(
                "LIKES_DB_HOST", "127.0.0.1",
                "LIKES_DB_PORT", String.valueOf(dbPort),
                "LIKES_HTTP_PORT", String.valueOf(port),
                "QUARKUS_MANAGEMENT_PORT", String.valueOf(port + MANAGEMENT_OFFSET),
                "LIKES_SHUTDOWN_DELAY", "0s"));
        this.environment.putAll(settings);
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Health and metrics: the management interface, on the API's port + {@value #MANAGEMENT_OFFSET}. */
    public URI management() {
        return URI.create("http://127.0.0.1:" + (port + MANAGEMENT_OFFSET));
    }

    /** Starts the process (JVM sized as in the 512 MiB pod) and waits until it is ready. */
    public PackagedService start() {
        process = launch();
        awaitReady();
        return this;
    }

    /** Starts the process and returns at once: for a command that never serves (an import), to be killed or waited for. */
    public PackagedService launchOnly() {
        process = launch();
        return this;
    }

    /** Waits for a process started by {@link #launchOnly} to end: its exit code, or -1 when it still runs after {@code limit} (then killed). */
    public int awaitExit(Duration limit) {
        try {
            if (process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
            kill();
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the process to its end, for a run that is meant to end by itself (a migration step, a start
     * that is refused): its exit code, or -1 when it is still running after {@code limit} (then killed).
     */
    public int runToExit(Duration limit) {
        return launchOnly().awaitExit(limit);
    }

    /** The log of this service's runs so far (target/{name}.log). */
    public String log() {
        try {
            return Files.readString(Path.of("target", name + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JVM sized as in the 512 MiB pod, its output appended to target/{name}.log. */
    private Process launch() {
        ProcessBuilder builder = new ProcessBuilder("java", "-XX:MaxRAM=512m", "-XX:MaxRAMPercentage=50", "-XX:+UseSerialGC",
                "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/" + name + ".log")));
        builder.environment().put("MALLOC_ARENA_MAX", "2"); // as in the container
        builder.environment().putAll(environment);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown of any kind. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /**
     * The sum of the service's Prometheus samples {@code name{labels...}} (labels may be the first few of
     * a series'), or {@code name} alone; NaN when there is none.
     */
    public double metric(String name, String labels) {
        String text = get(management(), "/q/metrics");
        String series = labels.isEmpty() ? Pattern.quote(name) + "(?:\\{\\})?" : Pattern.quote(name + "{" + labels) + "[,}][^\\n]*";
        Matcher sample = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+|NaN)(?: # .*)?$").matcher(text);
        double sum = Double.NaN;
        while (sample.find()) {
            sum = (Double.isNaN(sum) ? 0 : sum) + Double.parseDouble(sample.group(1));
        }
        return sum;
    }

    /** The body of a GET of the API, which must answer 200. */
    public String get(String path) {
        return get(base(), path);
    }

    /** The body of a GET of {@code path} at {@code server}, which must answer 200. */
    public String get(URI server, String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(server.resolve(path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady() {
        HttpRequest ready = HttpRequest.newBuilder(management().resolve("/q/health/ready")).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited; see target/" + name + ".log");
                }
                try {
                    if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException(name + " was not ready within 90 s; see target/" + name + ".log");
    }
}
