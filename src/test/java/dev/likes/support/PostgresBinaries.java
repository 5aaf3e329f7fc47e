package dev.likes.support;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * The embedded PostgreSQL's own programs (initdb, pg_ctl, postgres), the same build the Quarkus tests
 * run on: taken from the zonky binaries on the test class path (the version the pom names) and
 * unpacked into target/postgres-binaries once per version. Tests that stop, start or
 * replicate a server of their own ({@link LocalPostgres}) run these, so they need no PostgreSQL
 * installed on the machine.
 */
final class PostgresBinaries {

    private static final String ARCHIVE = "postgres-" + system() + "-" + architecture() + ".txz";
    /** One directory per archive (its jar names the version), so that a new version is unpacked anew. */
    private static final Path HOME = Path.of("target", "postgres-binaries",
            Integer.toHexString(String.valueOf(PostgresBinaries.class.getClassLoader().getResource(ARCHIVE)).hashCode())).toAbsolutePath();

    private PostgresBinaries() {
    }

    /** The program {@code name} (initdb, pg_ctl, postgres), unpacked on first use. */
    static synchronized String bin(String name) {
        Path program = HOME.resolve("bin").resolve(name);
        if (!Files.isExecutable(program)) {
            unpack();
        }
        return program.toString();
    }

    private static void unpack() {
        try (InputStream packed = PostgresBinaries.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
            if (packed == null) {
                throw new IllegalStateException("no " + ARCHIVE + " on the test class path (io.zonky.test.postgres binaries for this platform)");
            }
            Path partial = HOME.resolveSibling(HOME.getFileName() + ".partial");
            Directories.deleteTree(partial);
            Files.createDirectories(partial);
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(packed)))) {
                for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                    Path target = partial.resolve(entry.getName()).normalize();
                    if (!target.startsWith(partial)) {
                        throw new IllegalStateException("an archive entry outside its directory: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(target.getParent());
                        Files.deleteIfExists(target);
                        Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                        target.toFile().setExecutable((entry.getMode() & 0100) != 0, false);
                        target.toFile().setReadable(true, false);
                    }
                }
            }
            Directories.deleteTree(HOME);
            Files.move(partial, HOME);
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack the embedded PostgreSQL's binaries", e);
        }
    }

    private static String system() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        return os.contains("mac") ? "darwin" : os.contains("win") ? "windows" : "linux";
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> arch;
        };
    }
}
