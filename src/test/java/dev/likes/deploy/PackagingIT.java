package dev.likes.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the package phase leaves in target/quarkus-app, the container's build context: a CycloneDX SBOM
 * of the libraries the service runs with, and the aot-jar layout (every class on the class path, so
 * that a JDK 24+ AOT cache can hold them).
 */
class PackagingIT {

    static final Path APP = Path.of("target", "quarkus-app");

    @Test
    void theSbomListsTheLibrariesTheServiceRunsWithAndNoTestLibrary() throws IOException {
        assumeFalse(System.getProperty("maven.offline", "").equals("offline=true"), "Maven skips the SBOM when it runs offline");
        JsonNode bom = new ObjectMapper().readTree(APP.resolve("bom.json").toFile());
        assertEquals("CycloneDX", bom.path("bomFormat").asText());
        Set<String> components = new HashSet<>();
        bom.path("components").forEach(component -> components.add(component.path("group").asText() + ":" + component.path("name").asText()));
        assertTrue(components.contains("io.quarkus:quarkus-rest"), "quarkus-rest is listed");
        assertTrue(components.contains("io.vertx:vertx-pg-client"), "the PostgreSQL client is listed");
        assertTrue(components.stream().noneMatch(name -> name.startsWith("io.rest-assured:") || name.startsWith("org.seleniumhq")),
                "test libraries are not in the image");
    }

    @Test
    void everyClassIsOnTheClassPathOfTheRunJar() throws IOException {
        try (JarFile run = new JarFile(APP.resolve("quarkus-run.jar").toFile())) {
            String classPath = run.getManifest().getMainAttributes().getValue("Class-Path");
            assertTrue(classPath != null && classPath.contains("app/likes-service-"), "the application jar is on the class path");
            for (String entry : classPath.split(" ")) {
                assertTrue(Files.exists(APP.resolve(entry)), entry + " is packaged");
            }
        }
    }
}
