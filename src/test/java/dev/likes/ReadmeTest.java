package dev.likes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.likes.config.LikesConfig;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * The README (a first screen for newcomers) and the pages under docs/ tell users and operators the
 * truth about files and settings.
 */
class ReadmeTest {

    static final Path README = Path.of("README.md");
    static final Path CONFIGURATION = Path.of("docs", "configuration.md");
    static final Path PROPERTIES = Path.of("src", "main", "resources", "application.properties");

    @Test
    void theReadmeIsAShortFirstScreenThatStartsWithTheQuickStart() throws IOException {
        String readme = Files.readString(README);
        assertTrue(readme.length() <= 15 * 1024, "README.md has " + readme.length() + " characters; the long parts belong in docs/");
        Matcher first = Pattern.compile("(?m)^## (.*)$").matcher(readme);
        assertTrue(first.find());
        assertEquals("Quick start", first.group(1));
        assertTrue(readme.contains("./mvnw verify"), "the test command CI runs");
    }

    @Test
    void everyFileTheDocumentationNamesExists() throws IOException {
        int named = 0;
        for (Path page : pages()) {
            String text = Files.readString(page);
            Matcher paths = Pattern.compile("deploy/[A-Za-z0-9._/-]*[A-Za-z0-9]").matcher(text);
            while (paths.find()) {
                assertTrue(Files.exists(Path.of(paths.group())), page + " names " + paths.group());
                named++;
            }
            Matcher links = Pattern.compile("\\]\\(((?:docs/)?[a-z-]+\\.md)\\)").matcher(text);
            while (links.find()) {
                Path linked = page.getParent() == null ? Path.of(links.group(1)) : page.getParent().resolve(links.group(1));
                assertTrue(Files.exists(linked), page + " links to " + links.group(1));
                named++;
            }
        }
        assertTrue(named > 10);
    }

    private static java.util.List<Path> pages() throws IOException {
        try (var docs = Files.list(Path.of("docs"))) {
            java.util.List<Path> pages = new java.util.ArrayList<>(docs.filter(page -> page.toString().endsWith(".md")).sorted().toList());
            pages.add(0, README);
            return pages;
        }
    }

    @Test
    void everyEnvironmentVariableTheServiceReadsIsDocumented() throws IOException {
        Set<String> read = matches("\\$\\{(LIKES_[A-Z_]+):", Files.readString(PROPERTIES));
        read.addAll(settings(LikesConfig.class, "likes").keySet());
        Set<String> documented = matches("\\| `(LIKES_[A-Z_]+)` \\|", Files.readString(CONFIGURATION));
        assertTrue(read.size() >= 30, "variables read: " + read);
        assertEquals(read, documented);
    }

    @Test
    void theConfigurationTableShowsEachSettingsDefault() throws IOException {
        String readme = Files.readString(CONFIGURATION);
        settings(LikesConfig.class, "likes").forEach((variable, value) -> {
            Matcher row = Pattern.compile("\\| `" + variable + "` \\| ([^|]*) \\|").matcher(readme);
            assertTrue(row.find(), variable + " has a row");
            assertTrue(value.isEmpty() || row.group(1).contains("`" + value + "`"),
                    variable + " defaults to " + value + ", the README says " + row.group(1));
        });
    }

    /**
     * Every key of a @ConfigMapping interface as its environment variable ({@code likes.db.max-lag} is
     * {@code LIKES_DB_MAX_LAG}), with its @WithDefault value ("" when it has none).
     */
    private static Map<String, String> settings(Class<?> group, String prefix) {
        Map<String, String> settings = new TreeMap<>();
        for (Method key : group.getDeclaredMethods()) {
            if (key.isDefault() || Modifier.isStatic(key.getModifiers())) {
                continue;
            }
            WithName named = key.getAnnotation(WithName.class);
            String name = prefix + "." + (named != null ? named.value() : key.getName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase());
            if (key.getReturnType().isInterface() && key.getReturnType().getEnclosingClass() != null) {
                settings.putAll(settings(key.getReturnType(), name));
            } else {
                WithDefault value = key.getAnnotation(WithDefault.class);
                settings.put(name.toUpperCase().replace('.', '_').replace('-', '_'), value == null ? "" : value.value());
            }
        }
        return settings;
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
