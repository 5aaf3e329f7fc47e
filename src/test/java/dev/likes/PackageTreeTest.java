package dev.likes;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The packages form a tree that reads top-down (docs/design.md): features above the shared parts
 * they are built from, shared parts above the base every part uses, nothing importing upwards and no
 * cycle anywhere, features included. Checked on the compiled classes, so a dependency counts whether
 * it is an import, a fully qualified name or a static call. A new package must be placed in a layer
 * here, on purpose.
 */
class PackageTreeTest {

    /** What users and operators call: each a capability of its own. They may use each other, without cycles. */
    static final Set<String> FEATURES = Set.of("likes", "lifecycle", "likers", "users", "ranking", "live", "ops", "events", "demo", "imports");
    /** Parts the features are built from. */
    static final Set<String> SHARED = Set.of("counting", "cache", "citus", "ha", "auth", "http", "tracing");
    /** What every part uses: the error model, the settings, the database's plumbing, the gauges, the clock. */
    static final Set<String> BASE = Set.of("api", "config", "db", "metrics", "time");

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.likes");

    @Test
    void noPackageCycle() {
        slices().matching("dev.likes.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void featuresAboveSharedPartsAboveTheBase() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .ensureAllClassesAreContainedInArchitecture()
                .layer("Features").definedBy(packages(FEATURES))
                .layer("Shared").definedBy(packages(SHARED))
                .layer("Base").definedBy(packages(BASE))
                .whereLayer("Features").mayNotBeAccessedByAnyLayer()
                .whereLayer("Shared").mayOnlyBeAccessedByLayers("Features")
                .whereLayer("Base").mayOnlyBeAccessedByLayers("Features", "Shared")
                .check(MAIN);
    }

    /** Every package of the source tree is in exactly one layer, and each says what it owns. */
    @Test
    void everyPackageIsPlacedAndDescribed() throws IOException {
        Path root = Path.of("src/main/java/dev/likes");
        Set<String> packages;
        try (Stream<Path> entries = Files.list(root)) {
            packages = entries.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> placed = new TreeSet<>(FEATURES);
        placed.addAll(SHARED);
        placed.addAll(BASE);
        assertEquals(FEATURES.size() + SHARED.size() + BASE.size(), placed.size(), "a package in two layers");
        assertEquals(placed, packages);
        for (String name : packages) {
            assertEquals(true, Files.exists(root.resolve(name).resolve("package-info.java")), name + " has a package-info.java");
        }
    }

    private static String[] packages(Set<String> names) {
        return names.stream().map(name -> "dev.likes." + name + "..").toArray(String[]::new);
    }
}
