package dev.likes.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A PostgreSQL server that a test owns and may stop, start, or clone into a streaming standby, run
 * from the embedded PostgreSQL's own programs ({@link PostgresBinaries}; the embedded server itself
 * cannot be restarted from outside). As root it runs as the user postgres, since PostgreSQL refuses
 * root; as anyone else, as that user. The database {@code likes} belongs to the user {@code likes},
 * trusted on 127.0.0.1.
 */
public final class LocalPostgres {

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    /** What a base backup leaves out of a data directory (their directories stay, empty). */
    private static final Set<String> NOT_COPIED = Set.of("postmaster.pid", "postmaster.opts", "backup_label", "backup_label.old",
            "pg_internal.init");
    private static final Set<String> EMPTIED = Set.of("pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify", "pg_serial",
            "pg_snapshots", "pg_stat_tmp", "pg_subtrans");

    private final Path home;
    private final int port;

    private LocalPostgres(Path home, int port) {
        this.home = home;
        this.port = port;
    }

    /** A new primary on {@code port} with an empty database {@code likes}, started. */
    public static LocalPostgres primary(int port) {
        LocalPostgres server = new LocalPostgres(newHome(), port);
        run(PostgresBinaries.bin("initdb"), "-D", server.data().toString(), "-U", "likes", "--auth=trust", "--no-locale", "-E", "UTF8");
        server.start();
        server.execute("postgres", "CREATE DATABASE likes");
        return server;
    }

    /**
     * A streaming standby of this server on {@code port}, started: a base backup taken with the
     * server's own backup functions (a copy of the data directory between pg_backup_start and
     * pg_backup_stop), which streams from a replication slot of its own, so no WAL it needs is lost.
     */
    public LocalPostgres standby(int port) {
        LocalPostgres standby = new LocalPostgres(newHome(), port);
        String slot = "standby_" + port;
        try (Connection primary = connect("likes"); Statement sql = primary.createStatement()) {
            sql.execute("SELECT pg_create_physical_replication_slot('" + slot + "', true)");
            sql.execute("SELECT pg_backup_start('standby " + port + "', true)");
            copy(data(), standby.data());
            try (ResultSet stop = sql.executeQuery("SELECT labelfile FROM pg_backup_stop(false)")) {
                stop.next();
                Files.writeString(standby.data().resolve("backup_label"), stop.getString(1));
            }
            Files.writeString(standby.data().resolve("standby.signal"), "");
            Files.writeString(standby.data().resolve("postgresql.auto.conf"),
                    "\nprimary_conninfo = 'host=127.0.0.1 port=" + this.port + " user=likes'\nprimary_slot_name = '" + slot + "'\n",
                    StandardOpenOption.APPEND);
            Files.setPosixFilePermissions(standby.data(), PosixFilePermissions.fromString("rwx------"));
            if (ROOT) {
                try (Stream<Path> files = Files.walk(standby.home)) {
                    for (Path file : files.toList()) {
                        Files.setOwner(file, postgres());
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not take a base backup", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        standby.start();
        return standby;
    }

    /** The version of the embedded binaries this class runs, e.g. "15.14". */
    public static String version() {
        String printed = run(PostgresBinaries.bin("postgres"), "--version").strip();
        return printed.substring(printed.lastIndexOf(' ') + 1);
    }

    public int port() {
        return port;
    }

    public String url() {
        return "postgresql://127.0.0.1:" + port + "/likes";
    }

    public void start() {
        run(PostgresBinaries.bin("pg_ctl"), "-D", data().toString(), "-l", home.resolve("log").toString(), "-w",
                "-o", "-p " + port + " -k " + home + " -c listen_addresses=127.0.0.1", "start");
    }

    /** Whether the server is up. */
    public boolean running() {
        return Files.exists(data().resolve("postmaster.pid"));
    }

    /** Stops the server the way an operator's restart does: connections are terminated, then it shuts down. */
    public void stop() {
        run(PostgresBinaries.bin("pg_ctl"), "-D", data().toString(), "-m", "fast", "-w", "stop");
    }

    /** The first column of the first row that one SQL statement answers in the database likes ("" for none). */
    public String psql(String sql) {
        try (Connection connection = connect("likes"); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() && rows.getString(1) != null ? rows.getString(1) : "";
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed", e);
        }
    }

    /** Stops the server at once, whatever it was doing, and deletes its files. */
    public void destroy() {
        if (running()) {
            run(PostgresBinaries.bin("pg_ctl"), "-D", data().toString(), "-m", "immediate", "stop");
        }
        Directories.deleteTree(home);
    }

    private void execute(String database, String sql) {
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed", e);
        }
    }

    private Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=likes");
    }

    private Path data() {
        return home.resolve("data");
    }

    /**
     * The data directory's files as a base backup takes them (see {@link #NOT_COPIED}, {@link #EMPTIED}),
     * from a running server: a file it removes meanwhile is one a backup does without.
     */
    private static void copy(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                Path relative = from.relativize(dir);
                Files.createDirectories(to.resolve(relative.toString()));
                return relative.getNameCount() == 1 && EMPTIED.contains(relative.toString())
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (!NOT_COPIED.contains(file.getFileName().toString())) {
                    try {
                        Files.copy(file, to.resolve(from.relativize(file).toString()));
                    } catch (NoSuchFileException gone) {
                        // removed by the server meanwhile
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                if (failure instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw failure;
            }
        });
        Files.createDirectories(to.resolve("pg_wal").resolve("archive_status"));
    }

    private static Path newHome() {
        try {
            Path home = Files.createTempDirectory("likes-pg");
            if (ROOT) {
                Files.setOwner(home, postgres());
            }
            return home;
        } catch (IOException e) {
            throw new IllegalStateException("could not set up a private PostgreSQL", e);
        }
    }

    private static UserPrincipal postgres() throws IOException {
        try {
            return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        } catch (IOException e) {
            throw new IOException("running as root, the tests' own PostgreSQL servers run as the user postgres: create it (useradd postgres)", e);
        }
    }

    private static String run(String... command) {
        List<String> line = ROOT ? Stream.concat(Stream.of("runuser", "-u", "postgres", "--"), Stream.of(command)).toList() : List.of(command);
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
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
