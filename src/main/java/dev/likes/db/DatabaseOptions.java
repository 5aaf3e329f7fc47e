package dev.likes.db;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import dev.likes.config.LikesConfig;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;

/**
 * Where the service's database connections go and how long they may wait: the pool's, the standby's
 * (see dev.likes.ha.ReadRoute) and the few connections kept outside any pool ({@link PrimaryConnection},
 * a recount's). Every one is bounded the same way, so that no request hangs on a database that is
 * slow, gone or silent: connecting, waiting for a free connection, a statement on the server, and a
 * connection that stops answering (a hung handshake or a half-open network). Connections outside the
 * pool copy the pool's own options, as Quarkus built them from the datasource's settings (address,
 * credentials, TLS), so they go where the pool goes and in the same way.
 */
@Singleton
public class DatabaseOptions {

    private final LikesConfig.Db db;
    private final Instance<io.vertx.sqlclient.Pool> pool;
    /** The pool's options, set when the pool is created (see {@link DatabasePool}). */
    private volatile PgConnectOptions pooled;

    public DatabaseOptions(LikesConfig likes, Instance<io.vertx.sqlclient.Pool> pool) {
        this.db = likes.db();
        this.pool = pool;
    }

    /** The pool's options, once bounded: what every other connection copies. */
    void pooled(PgConnectOptions options) {
        this.pooled = options;
    }

    /** Bounds every wait of a connection made with {@code options}, and returns them. */
    PgConnectOptions bounded(PgConnectOptions options) {
        options.setConnectTimeout(Math.toIntExact(db.connectTimeout().toMillis()));
        // The server cancels a statement that runs too long (it then answers SQLSTATE 57014: a 503).
        options.addProperty("statement_timeout", Long.toString(db.statementTimeout().toMillis()));
        // A connection with no byte read for this long is closed, which frees its pool slot.
        options.setReadIdleTimeout(Math.toIntExact(db.silenceTimeout().toMillis())).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        // Short statements and the long ones named for it stay prepared on each connection.
        options.setPreparedStatementCacheSqlFilter(PreparedStatements::kept);
        return options;
    }

    /** A pool's bounds: how long and how many requests may wait for one of its connections. */
    public PoolOptions bounded(PoolOptions options) {
        return options.setConnectionTimeout(Math.toIntExact(db.acquireTimeout().toMillis()))
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxWaitQueueSize(db.maxWaiting());
    }

    /** A small pool of its own to {@code options}, bounded as the requests' pool is. */
    public io.vertx.mutiny.sqlclient.Pool pool(Vertx vertx, PgConnectOptions options, int maxSize) {
        return pool(vertx, options, bounded(new PoolOptions().setMaxSize(maxSize)), null);
    }

    /**
     * A pool of its own to {@code options}; {@code onConnect}, when given, sees each new connection
     * first and releases it to the pool by closing it (see Vert.x' withConnectHandler).
     */
    public io.vertx.mutiny.sqlclient.Pool pool(Vertx vertx, PgConnectOptions options, PoolOptions poolOptions,
            Handler<SqlConnection> onConnect) {
        var builder = PgBuilder.pool().with(poolOptions).connectingTo(options).using(vertx);
        if (onConnect != null) {
            builder.withConnectHandler(onConnect);
        }
        return io.vertx.mutiny.sqlclient.Pool.newInstance(builder.build());
    }

    /** The primary, as the pool reaches it, for a connection of its own. */
    public PgConnectOptions primary() {
        return new PgConnectOptions(pooledOptions());
    }

    /** The standby that serves public reads, when one is configured: the pool's options but its address. */
    public Optional<PgConnectOptions> standby() {
        return db.read().host().filter(host -> !host.isBlank())
                .map(host -> new PgConnectOptions(pooledOptions()).setHost(host).setPort(db.read().port()));
    }

    private PgConnectOptions pooledOptions() {
        if (pooled == null) {
            pool.get().size(); // creates the pool (lazily made by Quarkus), which hands its options over
        }
        return pooled;
    }
}
