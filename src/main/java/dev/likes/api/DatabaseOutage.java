package dev.likes.api;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

/**
 * Tells a database that cannot serve right now (the client may retry: 503) from one that refused
 * a statement (a bug of ours: 500).
 */
final class DatabaseOutage {

    /** SQLSTATE classes: connection, rollback (retry is safe), resources, operator, system. */
    private static final Set<String> RETRYABLE_CLASSES = Set.of("08", "40", "53", "57", "58");

    private DatabaseOutage() {
    }

    static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DatabaseException db) {
                String state = db.getSqlState();
                return state != null && state.length() == 5 && RETRYABLE_CLASSES.contains(state.substring(0, 2));
            }
            if (t instanceof ConnectException
                    || t instanceof ClosedConnectionException
                    || t instanceof ConnectionPoolTooBusyException
                    || t instanceof TimeoutException
                    || t instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
