package dev.likes.db;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;

import dev.likes.config.LikesConfig;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * Where the service's database connections go and how long they may wait: the pool's, the standby's
 * (see dev.likes.ha.ReadRoute) and the few connections kept outside any pool ({@link PrimaryConnection},
 * a recount's). Every one is bounded the same way, so that no request hangs on a database that is
 * slow, gone or silent: connecting, waiting for a free connection, a statement on the server, and a
 * connection that stops answering (a hung handshake or a half-open network).
 */
@Singleton
public class DatabaseOptions {

    private final LikesConfig.Db db;
    private final Config config;

    public DatabaseOptions(LikesConfig likes, Config config) {
        this.db = likes.db();
        this.config = config;
    }

    /** Bounds every wait of a connection made with {@code options}, and returns them. */
    PgConnectOptions bounded(PgConnectOptions options) {
        options.setConnectTimeout(Math.toIntExact(db.connectTimeout().toMillis()));
        // The server cancels a statement that runs too long (it then answers SQLSTATE 57014: a 503).
        options.addProperty("statement_timeout", Long.toString(db.statementTimeout().toMillis()));
        // A connection with no byte read for this long is closed, which frees its pool slot.
        options.setReadIdleTimeout(Math.toIntExact(db.silenceTimeout().toMillis())).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        return options;
    }

    /** A pool's bounds: how long and how many requests may wait for one of its connections. */
    public PoolOptions bounded(PoolOptions options) {
        return options.setConnectionTimeout(Math.toIntExact(db.acquireTimeout().toMillis()))
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxWaitQueueSize(db.maxWaiting());
    }

    /** The primary, as the pool reaches it (the datasource's URL and credentials), for a connection of its own. */
    public PgConnectOptions primary() {
        String url = config.getValue("quarkus.datasource.reactive.url", String.class).replaceFirst("^vertx-reactive:", "");
        return bounded(withCredentials(PgConnectOptions.fromUri(url)));
    }

    /** The standby that serves public reads, when one is configured: the primary's database and credentials on another host. */
    public Optional<PgConnectOptions> standby() {
        return db.read().host().filter(host -> !host.isBlank()).map(host -> {
            String url = config.getValue("quarkus.datasource.reactive.url", String.class).replaceFirst("^vertx-reactive:", "");
            PgConnectOptions primary = PgConnectOptions.fromUri(url);
            return bounded(withCredentials(new PgConnectOptions()
                    .setHost(host).setPort(db.read().port()).setDatabase(primary.getDatabase())));
        });
    }

    private PgConnectOptions withCredentials(PgConnectOptions options) {
        config.getOptionalValue("quarkus.datasource.username", String.class).ifPresent(options::setUser);
        config.getOptionalValue("quarkus.datasource.password", String.class).ifPresent(options::setPassword);
        return options;
    }
}
