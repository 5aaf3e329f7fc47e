package dev.likes.db;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnectOptions;

/**
 * Creates the reactive pool with a bound on every wait, so that no request hangs on a database
 * that is slow, gone, or silent: connecting, waiting for a free connection, a statement on the
 * server, and a connection that stops answering (a hung handshake or a half-open network).
 * Callers then get a quick 503 and may retry (likes and unlikes are idempotent).
 */
@Singleton
public class DatabasePool implements PgPoolCreator {

    private final Duration connectTimeout;
    private final Duration acquireTimeout;
    private final Duration statementTimeout;
    private final Duration silenceTimeout;
    private final int maxWaiting;

    public DatabasePool(
            @ConfigProperty(name = "likes.db.connect-timeout") Duration connectTimeout,
            @ConfigProperty(name = "likes.db.acquire-timeout") Duration acquireTimeout,
            @ConfigProperty(name = "likes.db.statement-timeout") Duration statementTimeout,
            @ConfigProperty(name = "likes.db.silence-timeout") Duration silenceTimeout,
            @ConfigProperty(name = "likes.db.max-waiting") int maxWaiting) {
        this.connectTimeout = connectTimeout;
        this.acquireTimeout = acquireTimeout;
        this.statementTimeout = statementTimeout;
        this.silenceTimeout = silenceTimeout;
        this.maxWaiting = maxWaiting;
    }

    @Override
    public Pool create(Input input) {
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            options.setConnectTimeout(Math.toIntExact(connectTimeout.toMillis()));
            // The server cancels a statement that runs too long (it then answers SQLSTATE 57014: a 503).
            options.addProperty("statement_timeout", Long.toString(statementTimeout.toMillis()));
            // A connection with no byte read for this long is closed, which frees its pool slot.
            options.setReadIdleTimeout(Math.toIntExact(silenceTimeout.toMillis())).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        }
        input.poolOptions()
                .setConnectionTimeout(Math.toIntExact(acquireTimeout.toMillis()))
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxWaitQueueSize(maxWaiting);
        return PgBuilder.pool()
                .with(input.poolOptions())
                .connectingTo(List.<SqlConnectOptions>copyOf(input.pgConnectOptionsList()))
                .using(input.vertx())
                .build();
    }
}
