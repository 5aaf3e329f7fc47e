package dev.likes.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.lessThan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.likes.support.Management;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A database that accepts connections but never answers (a hung server, a half-open network) must
 * not hang callers: every call answers 503 within a few seconds, well before a client gives up.
 */
@QuarkusTest
@TestProfile(SilentDatabaseTest.SilentDatabase.class)
class SilentDatabaseTest {

    /** Far above the 1 s acquire timeout, far below the minutes a hung call would take. */
    static final long BOUND_MS = 5000;

    public static class SilentDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return DatabaseDownTest.NOTHING_AT_START;
        }

        @Override
        public java.util.List<TestResourceEntry> testResources() {
            return java.util.List.of(new TestResourceEntry(SilentServer.class));
        }
    }

    /** A TCP port whose connections complete (the kernel's backlog) but never get a byte back. */
    public static class SilentServer implements QuarkusTestResourceLifecycleManager {
        private ServerSocket socket;

        @Override
        public Map<String, String> start() {
            try {
                socket = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String hostPort = "127.0.0.1:" + socket.getLocalPort();
            return Map.of(
                    "quarkus.datasource.reactive.url", "postgresql://" + hostPort + "/likes",
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + hostPort + "/likes?connectTimeout=1&socketTimeout=1");
        }

        @Override
        public void stop() {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void writesAndReadsAnswer503Quickly() {
        for (int i = 0; i < 3; i++) {
            given().put("/v1/items/a/likes/b").then().statusCode(503).header("Retry-After", "1")
                    .time(lessThan(BOUND_MS), TimeUnit.MILLISECONDS);
            given().get("/v1/items?ids=a,b").then().statusCode(503).time(lessThan(BOUND_MS), TimeUnit.MILLISECONDS);
            given().get("/v1/items/a").then().statusCode(503).time(lessThan(BOUND_MS), TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void readinessSaysDownQuickly() {
        Management.given().get("/q/health/ready").then().statusCode(503).time(lessThan(BOUND_MS), TimeUnit.MILLISECONDS);
        Management.given().get("/q/health/live").then().statusCode(200);
    }
}
