package dev.likes.api;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import dev.likes.support.Management;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HealthTest {

    @Test
    void aliveAndReadyWithTheDatabase() {
        Management.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("database"))
                .body("checks.find { it.name == 'database' }.data.primary", equalTo("up"));
    }
}
