package dev.likes.ha;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.likes.db.AdvisoryLock;
import dev.likes.db.DatabaseOptions;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;

/**
 * Connections for work only the leader may do, fenced by the database: they exist only within one
 * term of this replica's leadership ({@link Leadership.Term}). Each new connection first proves that
 * this replica's lock session still holds the leader lock (or ends its own session); a new leader
 * ends every such connection of the replicas before it as it takes the lock (they are known by their
 * application_name, {@link #APPLICATION_NAME}); and the pool is closed when this replica sees its term
 * end. So work started as leader cannot go on once the lock is lost, even before the old leader
 * notices: its statements then fail (a statement under way is cancelled by the end of its session).
 */
public final class LeaderPool {

    /** How the database tells the leaders' fenced connections from all others. */
    public static final String APPLICATION_NAME = "likes-leader-work";

    /** A new connection of a term: fine while the term's lock session holds the lock, else it ends itself. */
    static final String PROVE = "SELECT CASE WHEN " + AdvisoryLock.LEADER.heldBy()
            + " THEN true ELSE pg_terminate_backend(pg_backend_pid()) END";

    private final Leadership leadership;
    private final Vertx vertx;
    private final DatabaseOptions databases;
    private final PgConnectOptions options;
    private final int size;
    private final Duration patience;
    /** The pool of the term it was made for; guarded by this. */
    private Pool pool;
    private Leadership.Term poolTerm;

    LeaderPool(Leadership leadership, Vertx vertx, DatabaseOptions databases, PgConnectOptions options, int size, Duration patience) {
        this.leadership = leadership;
        this.vertx = vertx;
        this.databases = databases;
        this.options = options.addProperty("application_name", APPLICATION_NAME);
        this.size = size;
        this.patience = patience;
    }

    /** The current term's pool (made at its first use); fails with {@link NotLeaderException} when this replica does not lead. */
    public synchronized SqlClient client() {
        Leadership.Term term = leadership.term().orElseThrow(NotLeaderException::new);
        if (pool == null || !term.equals(poolTerm)) {
            close();
            poolTerm = term;
            pool = databases.pool(vertx, new PgConnectOptions(options),
                    // Background work waits for its turn longer than a request would (a statement at most).
                    databases.bounded(new PoolOptions().setMaxSize(size))
                            .setConnectionTimeout(Math.toIntExact(patience.toMillis())).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS),
                    connection -> connection.preparedQuery(PROVE).execute(Tuple.of(term.sessionPid()))
                            .onComplete(proved -> connection.close()));
        }
        return pool;
    }

    /** The term is over: its connections go (their statements under way fail). */
    synchronized void close() {
        if (pool != null) {
            pool.closeAndForget();
            pool = null;
            poolTerm = null;
        }
    }
}
