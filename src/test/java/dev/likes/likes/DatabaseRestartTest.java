package dev.likes.likes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.likes.support.Clicks;
import dev.likes.support.Database;
import dev.likes.support.FaultDrill;
import dev.likes.support.PrivatePostgres;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The database is stopped and started again, twice, while clients race likes and unlikes (see
 * {@link FaultDrill}): nothing acknowledged is lost, nothing counts twice, and the service serves
 * again on its own once the database is back.
 */
@QuarkusTest
@QuarkusTestResource(value = PrivatePostgres.class, restrictToAnnotatedClass = true)
class DatabaseRestartTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Database database;

    @Test
    void acknowledgedLikesSurviveADatabaseRestart() throws Exception {
        AtomicInteger restarts = new AtomicInteger();
        Clicks clicks = FaultDrill.likesAndUnlikesWhile(base, database, () -> {
            if (restarts.get() < 2) {
                Thread.sleep(300);
                PrivatePostgres.server().stop();
                Thread.sleep(1000);
                PrivatePostgres.server().start();
                restarts.incrementAndGet();
            }
            Thread.sleep(50);
        });
        assertTrue(restarts.get() >= 1, "the database was restarted " + restarts + " times");
        System.out.printf("database restarts: %d, longest outage a client saw: %d ms%n", restarts.get(),
                clicks.longestOutage().toMillis());
    }
}
