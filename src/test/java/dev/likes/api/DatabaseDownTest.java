package dev.likes.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.IntStream;

import org.jboss.logmanager.ExtLogRecord;

import org.junit.jupiter.api.Test;

import dev.likes.support.Clicks;
import dev.likes.support.Clicks.Answer;
import dev.likes.support.Clicks.Click;
import dev.likes.support.Metrics;
import dev.likes.support.Management;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With no database to talk to, every call answers a quick 503 that tells the client to retry. */
@QuarkusTest
@TestProfile(DatabaseDownTest.NoDatabase.class)
class DatabaseDownTest {

    @TestHTTPResource("/")
    URI base;

    /** With no usable database the service must still start: nothing to migrate, validate or ask. */
    static final Map<String, String> NOTHING_AT_START = Map.of(
            "quarkus.flyway.migrate-at-start", "false",
            "quarkus.hibernate-orm.schema-management.strategy", "none",
            "quarkus.hibernate-orm.database.version-check.enabled", "false");

    /** Points the service at a port where nothing listens. */
    public static class NoDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(NOTHING_AT_START);
            config.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:9/likes");
            config.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:9/likes");
            return config;
        }
    }

    @Test
    void writesAndReadsAnswer503WithRetryAfter() {
        unavailable(given().put("/v1/items/a/likes/b"));
        unavailable(given().delete("/v1/items/a/likes/b"));
        unavailable(given().get("/v1/items/a/likes/b"));
        unavailable(given().get("/v1/items/a"));
        unavailable(given().get("/v1/items?ids=a,b&userId=c"));
        unavailable(given().get("/v1/rankings"));
    }

    @Test
    void failedWritesAreTimedAsErrors() {
        double failed = Metrics.value("likes_write_seconds_count", "action=\"like\",outcome=\"error\"");
        given().put("/v1/items/a/likes/b").then().statusCode(503);
        assertEquals(failed + 1, Metrics.value("likes_write_seconds_count", "action=\"like\",outcome=\"error\""));
    }

    @Test
    void eachFailedClickIsLoggedUnderItsOwnRequestId() throws Exception {
        // Clicks that wait together share one failed statement, but each is answered (and logged) as its own request.
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record instanceof ExtLogRecord ext) {
                    logged.add(ext.getMdc("requestId") + " " + ext.getFormattedMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(ProblemMappers.class.getName());
        logger.addHandler(capture);
        try {
            List<Click> likes = IntStream.range(0, 200).mapToObj(i -> Click.like("down", "user-" + i)).toList();
            List<Answer> answers = new Clicks(base).concurrently(64, likes);
            assertTrue(answers.stream().allMatch(answer -> answer.status() == 503));
        } finally {
            logger.removeHandler(capture);
        }
        List<String> misattributed = logged.stream()
                .filter(line -> !line.matches("PUT:down:(user-\\d+) Database unavailable for /v1/items/down/likes/\\1: .*"))
                .toList();
        assertTrue(logged.size() >= 200, logged.size() + " lines logged");
        assertEquals(List.of(), misattributed);
    }

    @Test
    void badInputIsStillA400() {
        given().put("/v1/items/a%20b/likes/c").then().statusCode(400);
    }

    @Test
    void notReadyButAlive() {
        Management.given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
        Management.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    private static void unavailable(io.restassured.response.Response response) {
        response.then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "1")
                .body("status", equalTo(503))
                .body("detail", containsString("retry"));
    }
}
