package dev.likes.likes;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.likes.support.Clicks;
import dev.likes.support.Database;
import dev.likes.support.FaultDrill;
import dev.likes.support.LocalPostgres;
import dev.likes.support.PackagedService;
import dev.likes.support.PrivatePostgres;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * The packaged service is killed (SIGKILL, no shutdown of any kind) twice while clients race likes
 * and unlikes, and started again (see {@link FaultDrill}): nothing acknowledged is lost, nothing is
 * half done or counted twice. Clients retry on refused connections and 503s meanwhile. And the
 * packaged service, which runs as in production, refuses to start trusting the published dev key,
 * or with settings out of range.
 */
class ServiceCrashIT {

    static LocalPostgres postgres;
    static Vertx vertx;
    static Database database;

    @BeforeAll
    static void startDatabase() {
        postgres = LocalPostgres.primary(PrivatePostgres.PORT);
        vertx = Vertx.vertx();
        Pool pool = Pool.pool(vertx, PgConnectOptions.fromUri(postgres.url()).setUser("likes"), new PoolOptions().setMaxSize(2));
        database = new Database(pool);
    }

    @AfterAll
    static void stopDatabase() {
        vertx.closeAndAwait();
        postgres.destroy();
    }

    @Test
    void productionRefusesToTrustThePublishedDevKey() throws Exception {
        String log = refusedStart("dev-key-refused-it", 18083, Map.of(
                "LIKES_JWT_ISSUER", "any-issuer",
                "LIKES_JWT_PUBLIC_KEY_LOCATION", "deploy/dev-keys/public.pem"));
        assertTrue(log.contains("include the PUBLISHED dev key"), "the log says why");
        assertTrue(log.contains("LIKES_AUTH_INSECURE_TRUST_PUBLISHED_DEV_KEY"), "and how to start anyway");
    }

    @Test
    void settingsOutOfRangeStopTheStart() throws Exception {
        String log = refusedStart("bad-settings-it", 18084, Map.of(
                "LIKES_AUTH_ENABLED", "false",
                "LIKES_WRITE_STATEMENTS", "0",
                "LIKES_LIVE_FLUSH_INTERVAL", "-1s"));
        assertTrue(log.contains("LIKES_WRITE_STATEMENTS must be at least 1"), "the log names each setting out of range");
        assertTrue(log.contains("LIKES_LIVE_FLUSH_INTERVAL must be 1ms or longer"), "all of them at once");
    }

    /** Starts the packaged service with {@code settings}, which must make it exit; answers its log. */
    private static String refusedStart(String name, int port, Map<String, String> settings) throws Exception {
        Files.deleteIfExists(Path.of("target", name + ".log"));
        PackagedService service = new PackagedService(name, port, PrivatePostgres.PORT, settings);
        IllegalStateException refused = assertThrows(IllegalStateException.class, service::start);
        assertTrue(refused.getMessage().contains("exited"), refused.getMessage());
        return Files.readString(Path.of("target", name + ".log"));
    }

    @Test
    void acknowledgedLikesSurviveAKilledService() throws Exception {
        // The drill's clients act for many users without tokens, and toggle faster than people do.
        PackagedService service = new PackagedService("service-crash-it", 18082, PrivatePostgres.PORT, Map.of(
                "LIKES_AUTH_ENABLED", "false",
                "LIKES_LIMIT_CHANGES_PER_ITEM", "0",
                "LIKES_LIMIT_CHANGES_PER_USER", "0",
                "LIKES_LIMIT_WRITES_PER_USER", "0")).start();
        AtomicInteger kills = new AtomicInteger();
        try {
            Clicks clicks = FaultDrill.likesAndUnlikesWhile(service.base(), database, () -> {
                if (kills.get() < 2) {
                    Thread.sleep(300);
                    service.kill();
                    kills.incrementAndGet();
                    service.start();
                }
                Thread.sleep(50);
            });
            assertTrue(kills.get() >= 1, "the service was killed " + kills + " times");
            System.out.printf("service kills: %d, longest outage a client saw: %d ms%n", kills.get(),
                    clicks.longestOutage().toMillis());
        } finally {
            service.kill();
        }
    }
}
