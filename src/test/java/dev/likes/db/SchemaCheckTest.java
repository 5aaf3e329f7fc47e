package dev.likes.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The schema check expects the latest migration this build carries. */
class SchemaCheckTest {

    @Test
    void itExpectsTheLatestMigration() throws IOException {
        Pattern versioned = Pattern.compile("V(\\d+)__.*\\.sql");
        int latest;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            latest = files.map(file -> versioned.matcher(file.getFileName().toString()))
                    .filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max().orElseThrow();
        }
        assertEquals(latest, SchemaCheck.VERSION);
    }
}
