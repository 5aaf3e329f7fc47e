package dev.likes.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL server that a test owns and may stop, start, or clone into a streaming standby:
 * Debian's PostgreSQL binaries (the embedded server cannot be restarted from outside), run as the
 * postgres user, as they refuse root. The database {@code likes} belongs to the user {@code likes},
 * trusted on 127.0.0.1.
 */
public final class LocalPostgres {

    private final Path home;
    private final int port;

    private LocalPostgres(Path home, int port) {
        this.home = home;
        this.port = port;
    }

    /** A new primary on {@code port} with an empty database {@code likes}, started. */
    public static LocalPostgres primary(int port) {
        LocalPostgres server = new LocalPostgres(newHome(), port);
        run(bin("initdb"), "-D", server.data(), "-U", "likes", "--auth=trust");
        server.start();
        run(bin("createdb"), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "likes", "likes");
        return server;
    }

    /** A streaming standby of this server on {@code port}, started (a base backup, then replication). */
    public LocalPostgres standby(int port) {
        LocalPostgres standby = new LocalPostgres(newHome(), port);
        run(bin("pg_basebackup"), "-h", "127.0.0.1", "-p", String.valueOf(this.port), "-U", "likes",
                "-D", standby.data(), "-R", "-X", "stream", "-c", "fast");
        standby.start();
        return standby;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "postgresql://127.0.0.1:" + port + "/likes";
    }

    public void start() {
        run(bin("pg_ctl"), "-D", data(), "-l", home.resolve("log").toString(), "-w",
                "-o", "-p " + port + " -k " + home + " -c listen_addresses=127.0.0.1", "start");
    }

    /** Whether the server is up. */
    public boolean running() {
        return Files.exists(home.resolve("data").resolve("postmaster.pid"));
    }

    /** Stops the server the way an operator's restart does: connections are terminated, then it shuts down. */
    public void stop() {
        run(bin("pg_ctl"), "-D", data(), "-m", "fast", "-w", "stop");
    }

    /** Runs one SQL command with psql as the user likes; answers what it printed (unaligned, no headers). */
    public String psql(String sql) {
        return run(bin("psql"), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "likes", "-d", "likes",
                "-Atq", "-c", sql).strip();
    }

    /** Stops the server at once, whatever it was doing, and deletes its files. */
    public void destroy() {
        if (running()) {
            run(bin("pg_ctl"), "-D", data(), "-m", "immediate", "stop");
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String data() {
        return home.resolve("data").toString();
    }

    private static Path newHome() {
        try {
            Path home = Files.createTempDirectory("likes-pg");
            UserPrincipal postgres = home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(home, postgres);
            return home;
        } catch (IOException e) {
            throw new IllegalStateException("could not set up a private PostgreSQL", e);
        }
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

    private static String run(String... command) {
        List<String> asPostgres = Stream.concat(Stream.of("runuser", "-u", "postgres", "--"), Stream.of(command)).toList();
        try {
            Process process = new ProcessBuilder(asPostgres).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
