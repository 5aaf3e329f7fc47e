package dev.likes.likes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.likes.support.Clicks;
import dev.likes.support.Database;
import dev.likes.support.FaultDrill;
import dev.likes.support.LocalPostgres;
import dev.likes.support.PrivatePostgres;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * The packaged service is killed (SIGKILL, no shutdown of any kind) twice while clients race likes
 * and unlikes, and started again (see {@link FaultDrill}): nothing acknowledged is lost, nothing is
 * half done or counted twice. Clients retry on refused connections and 503s meanwhile.
 */
class ServiceCrashIT {

    static final int HTTP_PORT = 18082;
    static LocalPostgres postgres;

    static Vertx vertx;
    static Database database;
    Process service;

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
    void acknowledgedLikesSurviveAKilledService() throws Exception {
        service = startService();
        awaitReady();
        AtomicInteger kills = new AtomicInteger();
        try {
            Clicks clicks = FaultDrill.likesAndUnlikesWhile(URI.create("http://127.0.0.1:" + HTTP_PORT), database, () -> {
                if (kills.get() < 2) {
                    Thread.sleep(300);
                    service.destroyForcibly().waitFor();
                    kills.incrementAndGet();
                    service = startService();
                    awaitReady();
                }
                Thread.sleep(50);
            });
            assertTrue(kills.get() >= 1, "the service was killed " + kills + " times");
            System.out.printf("service kills: %d, longest outage a client saw: %d ms%n", kills.get(),
                    clicks.longestOutage().toMillis());
        } finally {
            service.destroyForcibly().waitFor();
        }
    }

    private static void awaitReady() throws InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP_PORT + "/q/health/ready")).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the service was not ready within 60 s; see target/service-crash-it.log");
    }

    private static Process startService() throws IOException {
        ProcessBuilder builder = new ProcessBuilder("java", "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/service-crash-it.log")));
        builder.environment().put("LIKES_DB_HOST", "127.0.0.1");
        builder.environment().put("LIKES_DB_PORT", String.valueOf(PrivatePostgres.PORT));
        builder.environment().put("LIKES_HTTP_PORT", String.valueOf(HTTP_PORT));
        builder.environment().put("LIKES_SHUTDOWN_DELAY", "0s");
        // The drill's clients act for many users without tokens, and toggle faster than people do.
        builder.environment().put("LIKES_AUTH_ENABLED", "false");
        builder.environment().put("LIKES_LIMIT_CHANGES_PER_ITEM", "0");
        builder.environment().put("LIKES_LIMIT_CHANGES_PER_USER", "0");
        return builder.start();
    }
}
