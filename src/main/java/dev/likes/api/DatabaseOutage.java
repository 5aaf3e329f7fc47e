package dev.likes.api;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import dev.likes.db.NotPrimaryException;
import dev.likes.db.Writes;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.sqlclient.DatabaseException;

/**
 * Tells a database that cannot serve right now (the client may retry: 503) from one that refused
 * a statement (a bug of ours: 500).
 */
public final class DatabaseOutage {

    /** SQLSTATE classes: connection, rollback (retry is safe), resources, operator (admin shutdown, cannot connect now), system. */
    private static final Set<String> RETRYABLE_CLASSES = Set.of("08", "40", "53", "57", "58");

    /**
     * Citus' internal error (XX000) for a session whose node is going away: the coordinator's
     * postmaster died while the session waited for a worker's answer (a coordinator failover).
     */
    static final String CITUS_NODE_GONE = "postmaster was shut down";

    private DatabaseOutage() {
    }

    public static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NotPrimaryException) {
                return true;
            }
            if (t instanceof DatabaseException db) {
                String state = db.getSqlState();
                return state != null && state.length() == 5
                        // A write on a server that is not the primary (yet): during a failover (see Writes).
                        && (RETRYABLE_CLASSES.contains(state.substring(0, 2)) || Writes.READ_ONLY_TRANSACTION.equals(state)
                            || "XX000".equals(state) && db.getMessage() != null && db.getMessage().contains(CITUS_NODE_GONE));
            }
            // VertxException covers the client's own failures: a closed connection, a busy pool,
            // "Timeout waiting for connection"; Hibernate Reactive reports the same timeout as a
            // NoStackTraceThrowable, which Vert.x makes for a future failed with a message.
            if (t instanceof VertxException
                    || t instanceof NoStackTraceThrowable
                    || t instanceof ConnectException
                    || t instanceof TimeoutException
                    || t instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
