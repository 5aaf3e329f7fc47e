package dev.likes.likes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.likes.support.Clicks;
import dev.likes.support.Database;
import dev.likes.support.FaultDrill;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The database terminates the service's connections again and again under load (see
 * {@link FaultDrill}): nothing acknowledged is lost, nothing counts twice, and the service recovers
 * by itself.
 */
@QuarkusTest
class DatabaseFaultsTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Database database;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    @Test
    void acknowledgedLikesSurviveTerminatedConnections() throws Exception {
        AtomicInteger kills = new AtomicInteger();
        Clicks clicks = FaultDrill.likesAndUnlikesWhile(base, database, () -> {
            try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
                    ResultSet killed = connection.createStatement().executeQuery("""
                            SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
                            WHERE datname = current_database() AND pid <> pg_backend_pid()
                              AND backend_type = 'client backend'""")) {
                killed.next();
                kills.addAndGet(killed.getInt(1) > 0 ? 1 : 0);
            }
            Thread.sleep(50);
        });
        assertTrue(kills.get() >= 3, "connections were terminated " + kills + " times");
        System.out.printf("connection kills: %d, longest outage a client saw: %d ms%n", kills.get(),
                clicks.longestOutage().toMillis());
    }
}
