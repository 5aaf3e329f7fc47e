package dev.likes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The README tells operators the truth about files and settings. */
class ReadmeTest {

    static final Path README = Path.of("README.md");
    static final Path PROPERTIES = Path.of("src", "main", "resources", "application.properties");

    @Test
    void everyDeployFileTheReadmeNamesExists() throws IOException {
        Matcher paths = Pattern.compile("deploy/[A-Za-z0-9._/-]*[A-Za-z0-9]").matcher(Files.readString(README));
        int named = 0;
        while (paths.find()) {
            assertTrue(Files.exists(Path.of(paths.group())), "README names " + paths.group());
            named++;
        }
        assertTrue(named > 0);
    }

    @Test
    void everyEnvironmentVariableTheServiceReadsIsDocumented() throws IOException {
        Set<String> read = matches("\\$\\{(LIKES_[A-Z_]+):", Files.readString(PROPERTIES));
        Set<String> documented = matches("\\| `(LIKES_[A-Z_]+)` \\|", Files.readString(README));
        assertTrue(read.size() >= 7, "variables read: " + read);
        assertEquals(read, documented);
    }

    private static Set<String> matches(String regex, String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = Pattern.compile(regex).matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
