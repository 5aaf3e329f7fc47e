package dev.likes.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The published description in openapi/ is exactly what the service serves. */
@QuarkusTest
class OpenApiDocumentTest {

    static final Path COMMITTED = Path.of("openapi", "likes-v1.yaml");
    static final Path SERVED_COPY = Path.of("target", "openapi", "likes-v1.yaml");

    @Test
    void theCommittedDocumentMatchesTheServedOne() throws IOException {
        String served = given().accept("application/yaml").get("/q/openapi").then().statusCode(200).extract().asString();
        Files.createDirectories(SERVED_COPY.getParent());
        Files.writeString(SERVED_COPY, served, StandardCharsets.UTF_8);

        String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";
        assertEquals(committed, served, "The API changed: review " + SERVED_COPY + " and copy it to " + COMMITTED);
    }

    @Test
    void theDocumentIsAlsoServedAsJson() {
        given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .contentType("application/json");
    }
}
