package dev.likes.db;

import java.util.List;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnectOptions;

/**
 * Creates the reactive pool of the primary with a bound on every wait (see {@link DatabaseOptions}),
 * so callers get a quick 503 and may retry (likes and unlikes are idempotent). A new connection that
 * lands on a server in recovery (a standby, or a primary restarting after a crash: during a failover
 * a proxy may send it there) is closed at once rather than pooled, since every write on it would
 * fail; the request that asked for it gets a 503 and its retry a fresh connection.
 */
@Singleton
public class DatabasePool implements PgPoolCreator {

    private static final Logger LOG = Logger.getLogger(DatabasePool.class);

    private final DatabaseOptions options;

    public DatabasePool(DatabaseOptions options) {
        this.options = options;
    }

    @Override
    public Pool create(Input input) {
        input.pgConnectOptionsList().forEach(options::bounded);
        options.pooled(input.pgConnectOptionsList().get(0));
        Pool pool = PgBuilder.pool()
                .with(options.bounded(input.poolOptions()))
                .connectingTo(List.<SqlConnectOptions>copyOf(input.pgConnectOptionsList()))
                .using(input.vertx())
                .build();
        return pool.connectHandler(connection -> connection.query(InRecovery.QUERY).execute().onComplete(checked -> {
            if (checked.succeeded() && InRecovery.of(checked.result())) {
                LOG.warn("A new database connection reached a server in recovery (not the primary); closing it");
                InRecovery.endSession(connection);
            } else {
                connection.close();
            }
        }));
    }
}
