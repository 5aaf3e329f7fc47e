package dev.likes.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A PostgreSQL server that a test owns and may stop and start: Debian's PostgreSQL binaries (the
 * embedded server cannot be restarted from outside), run as the postgres user, as they refuse root.
 * Its data directory is published as the system property {@value #DIRECTORY} for {@link #stop()}
 * and {@link #start()}.
 */
public class PrivatePostgres implements QuarkusTestResourceLifecycleManager {

    public static final String DIRECTORY = "likes.test.private-postgres";
    public static final int PORT = 54331;

    @Override
    public Map<String, String> start() {
        try {
            Path home = Files.createTempDirectory("likes-pg");
            UserPrincipal postgres = home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(home, postgres);
            System.setProperty(DIRECTORY, home.toString());
            run(bin("initdb"), "-D", home.resolve("data").toString(), "-U", "likes", "--auth=trust");
            startServer();
            run(bin("createdb"), "-h", "127.0.0.1", "-p", String.valueOf(PORT), "-U", "likes", "likes");
        } catch (IOException e) {
            throw new IllegalStateException("could not set up a private PostgreSQL", e);
        }
        String address = url().substring("postgresql://".length());
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://" + address,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + address,
                "quarkus.datasource.username", "likes",
                "quarkus.datasource.password", "likes");
    }

    @Override
    public void stop() {
        Path home = home();
        if (Files.exists(home.resolve("data").resolve("postmaster.pid"))) {
            run(bin("pg_ctl"), "-D", home.resolve("data").toString(), "-m", "immediate", "stop");
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "postgresql://127.0.0.1:" + PORT + "/likes";
    }

    /** Stops the server the way an operator's restart does: connections are terminated, then it shuts down. */
    public static void stopServer() {
        run(bin("pg_ctl"), "-D", home().resolve("data").toString(), "-m", "fast", "-w", "stop");
    }

    public static void startServer() {
        Path home = home();
        run(bin("pg_ctl"), "-D", home.resolve("data").toString(), "-l", home.resolve("log").toString(), "-w",
                "-o", "-p " + PORT + " -k " + home + " -c listen_addresses=127.0.0.1", "start");
    }

    private static Path home() {
        return Path.of(System.getProperty(DIRECTORY));
    }

    /** The newest installed PostgreSQL's program {@code name}. */
    private static String bin(String name) {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            Path newest = versions.max(Comparator.comparing(path -> Integer.parseInt(path.getFileName().toString())))
                    .orElseThrow();
            return newest.resolve("bin").resolve(name).toString();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("this test needs Debian's PostgreSQL (apt-get install postgresql)", e);
        }
    }

    private static void run(String... command) {
        List<String> asPostgres = Stream.concat(Stream.of("runuser", "-u", "postgres", "--"), Stream.of(command)).toList();
        try {
            Process process = new ProcessBuilder(asPostgres).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
